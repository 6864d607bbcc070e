"""`time` on the board: sleeps that Ctrl-C ends and interrupts run through,
ticks that wrap like the firmware's (ticks_ms and ticks_us count modulo
2**30), and the wall clock of the board's RTC (machine.RTC sets it)."""

import time as _host_time
import types

from .machine_timer import rtc_epoch_ns

TICKS_PERIOD = 1 << 30
TICKS_MASK = TICKS_PERIOD - 1
TICKS_HALF = TICKS_PERIOD // 2


def ticks_diff(end, start):
    return ((end - start + TICKS_HALF) & TICKS_MASK) - TICKS_HALF


def ticks_add(ticks, delta):
    if not -TICKS_HALF <= delta < TICKS_HALF:
        raise OverflowError("ticks interval overflow")
    return (ticks + delta) & TICKS_MASK


def _int_arg(value):
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float):
            raise TypeError("can't convert float to int")
        raise TypeError(f"can't convert {type(value).__name__} to int")
    return value


def make_module(vm):
    board = vm.board
    clock = board.clock
    module = types.ModuleType("time")

    def sleep(seconds):
        if not isinstance(seconds, (int, float)):
            raise TypeError(f"can't convert {type(seconds).__name__} to float")
        board.sleep_ns(int(seconds * 1e9))

    def sleep_ms(ms):
        board.sleep_ns(_int_arg(ms) * 1_000_000)

    def sleep_us(us):
        board.sleep_ns(_int_arg(us) * 1_000)

    poll = board.scheduler.poll

    def ticks_ms():
        ns = clock.now_ns()
        poll()
        return (ns // 1_000_000) & TICKS_MASK

    def ticks_us():
        ns = clock.now_ns()
        poll()
        return (ns // 1_000) & TICKS_MASK

    def ticks_cpu():
        ns = clock.now_ns()
        poll()
        return (ns // 1_000) & TICKS_MASK

    def time():
        return rtc_epoch_ns(board) // 1_000_000_000

    def time_ns():
        return rtc_epoch_ns(board)

    def gmtime(secs=None):
        if secs is None:
            secs = time()
        t = _host_time.gmtime(int(secs))
        return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, t.tm_wday, t.tm_yday)

    def mktime(tup):
        year, month, mday, hour, minute, second = tuple(tup)[:6]
        import calendar
        return calendar.timegm((year, month, mday, hour, minute, second, 0, 0, 0))

    module.__dict__.update(
        sleep=sleep, sleep_ms=sleep_ms, sleep_us=sleep_us,
        ticks_ms=ticks_ms, ticks_us=ticks_us, ticks_cpu=ticks_cpu,
        ticks_diff=ticks_diff, ticks_add=ticks_add,
        time=time, time_ns=time_ns,
        gmtime=gmtime, localtime=gmtime,   # the board's RTC has no time zone
        mktime=mktime,
    )
    return module
