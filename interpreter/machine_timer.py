"""machine.Timer, machine.RTC and machine.WDT on the board's clock.

Timer (ports/rp2/machine_timer.c; esp32: hardware timers 0-3): one-shot or
periodic, `period` in ticks of `tick_hz` (default ms) or `freq` in Hz. At
each expiry the callback is queued on the board's scheduler with the timer
as argument, so it runs between two lines of the running code, or while it
sleeps, or at the REPL prompt; periods are counted from the previous
expiry, not from when the callback ran. A soft reset stops every timer.
rp2 knows only the virtual timer -1 (`ValueError: Timer doesn't exist`).

RTC: datetime() gives or sets (year, month, day, weekday, hours, minutes,
seconds, subseconds), weekday 0 for Monday; time.time()/localtime() follow it.

WDT(id=0, timeout=5000): unless fed within `timeout` ms of board time, the
board resets (machine.reset_cause() is then WDT_RESET); it survives a soft
reset like the chip's. rp2 refuses a timeout over 8388 ms.
"""

import calendar
import time as _host_time

from .scheduler import VM

RP2_WDT_MAX = 8388


def make_timer_class(vm):
    board = vm.board
    esp32 = board.definition.port == "esp32"
    scheduler = board.scheduler

    class Timer:
        ONE_SHOT, PERIODIC = 0, 1

        def __init__(self, id=-1, *args, **kwargs):
            if esp32:
                if id not in (0, 1, 2, 3):
                    raise ValueError("invalid Timer number")
            elif id != -1:
                raise ValueError("Timer doesn't exist")
            self._id = id
            self._event = None
            self._mode = Timer.PERIODIC
            self._period_us = 1_000_000
            self._callback = None
            if args or kwargs:
                self.init(*args, **kwargs)

        def init(self, *, mode=1, callback=None, period=0xFFFFFFFF, tick_hz=1000, freq=None):
            self.deinit()
            if freq is not None:
                if freq <= 0:
                    raise ValueError("freq must be positive")
                period_us = int(1_000_000 / freq)
            else:
                period_us = period * 1_000_000 // tick_hz
            self._mode = mode
            self._period_us = max(1, period_us)
            self._callback = callback
            self._event = scheduler.after(self._period_us * 1000, self._expire, VM)

        def _expire(self):
            event = self._event
            if self._callback is not None:
                scheduler.schedule(self._callback, self)
            if self._mode == Timer.PERIODIC and event is not None and not event.cancelled:
                self._event = scheduler.at(event.time + self._period_us * 1000, self._expire, VM)
            else:
                self._event = None

        def deinit(self):
            if self._event is not None:
                self._event.cancel()
                self._event = None

        def value(self):
            if self._event is None:
                return 0
            return max(0, (self._event.time - board.clock.peek_ns()) // 1_000_000)

        def __repr__(self):
            mode = "ONE_SHOT" if self._mode == Timer.ONE_SHOT else "PERIODIC"
            if esp32:
                return f"Timer({self._id}; alarm_en=1, auto_reload={self._mode}, counter_en=1)"
            return f"Timer(mode={mode}, tick_hz=1000000, period={self._period_us})"

    Timer.__qualname__ = "Timer"
    return Timer


def rtc_epoch_ns(board):
    return board.clock.epoch_ns() + board.peripherals.rtc_offset_ns


def make_rtc_class(vm):
    board = vm.board

    class RTC:
        def __init__(self, id=0, datetime=None):
            if datetime is not None:
                self.datetime(datetime)

        def init(self, datetime=None):
            if datetime is not None:
                self.datetime(datetime)

        def datetime(self, datetime=None):
            if datetime is None:
                ns = rtc_epoch_ns(board)
                t = _host_time.gmtime(ns // 1_000_000_000)
                sub = (ns // 1000) % 1_000_000 if board.definition.port == "esp32" else 0
                return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_wday, t.tm_hour, t.tm_min, t.tm_sec, sub)
            fields = tuple(datetime)
            if len(fields) < 7:
                raise ValueError("requested length 8 but object has length %d" % len(fields))
            year, month, day, _weekday, hour, minute, second = fields[:7]
            target = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0)) * 1_000_000_000
            board.peripherals.rtc_offset_ns = target - board.clock.epoch_ns()

        def memory(self, data=None):
            if data is None:
                return bytes(getattr(board.peripherals, "rtc_memory", b""))
            board.peripherals.rtc_memory = bytes(data)

    RTC.__qualname__ = "RTC"
    return RTC


def make_wdt_class(vm):
    board = vm.board
    esp32 = board.definition.port == "esp32"

    class WDT:
        def __init__(self, id=0, timeout=5000):
            if id != 0:
                raise ValueError(f"WDT({id}) doesn't exist")
            if not esp32 and timeout > RP2_WDT_MAX:
                raise ValueError(f"timeout exceeds {RP2_WDT_MAX}")
            if timeout <= 0:
                raise ValueError("WDT timeout too short")
            board.peripherals.start_watchdog(int(timeout))

        def feed(self):
            board.peripherals.feed_watchdog()

    WDT.__qualname__ = "WDT"
    return WDT
