"""Time and the system, as host imports: machine.Timer's alarms, the RTC
kept outside the chip, the watchdog, the CPU clock, masked interrupts, the
chip's memory map (machine.mem8/16/32), a locked-up chip, and the ESP32's
NVS. The firmware's halves are interpreter/port/machine_timer.c,
machine_rtc.c, machine_wdt.c, modmachine.c and modesp32.c.

What outlives one power-on of the chip (the RTC, its memory, the watchdog's
deadline, the NVS) is kept on the board's Peripherals (peripherals.py).
"""

import json
import os

from .gpio import IN, OPEN_DRAIN, OUT
from .host import DEEPSLEEP, EVENT_TIMER, I32, I64, host_import
from .timeline import VM

MEM_OK, MEM_FAULT = 0, 1
RTC_STOPPED = -(1 << 63)         # host.h's HOST_RTC_STOPPED (INT64_MIN)
RTC_MEMORY_MAX = 2048


def _u32(value):
    return value & 0xFFFFFFFF


def _i64(value):
    """A Python int as wasm's i64 result (signed)."""
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >> 63 else value


class TimerBlock:
    """The alarms behind machine.Timer: each is due on the board's timeline,
    exactly; a periodic one is due again `period` after each due time, so it
    does not drift. Expiries go to the firmware as EVENT_TIMER events."""

    # A timer that fell this many periods behind (a busy host on real time)
    # skips what it missed beyond them: the firmware's scheduler queue could
    # not hold more callbacks than that anyway.
    CATCH_UP = 8

    def __init__(self, board):
        self.board = board
        self.alarms = {}            # slot -> the timeline event of its next expiry

    @host_import("timer_start", [I32, I32, I64, I32])
    def timer_start(self, slot, generation, period_us, periodic):
        self.timer_stop(slot)
        clock, timeline, chip = self.board.clock, self.board.timeline, self.chip
        period_ns = max(1, period_us) * 1000

        def expire(due):
            chip.post(EVENT_TIMER, slot, generation)
            if not periodic:
                self.alarms.pop(slot, None)
                return
            following = due + period_ns
            behind = (clock.peek_ns() - following) // period_ns
            if behind > self.CATCH_UP:
                following += (behind - self.CATCH_UP) * period_ns
            self.alarms[slot] = timeline.at(following, lambda: expire(following), VM)

        first = clock.peek_ns() + period_ns
        self.alarms[slot] = timeline.at(first, lambda: expire(first), VM)

    @host_import("timer_stop", [I32])
    def timer_stop(self, slot):
        alarm = self.alarms.pop(slot, None)
        if alarm is not None:
            alarm.cancel()


class MachineBlock:
    """The RTC, the watchdog, the CPU clock, masked interrupts, the chip
    locking up and deep sleep."""

    def __init__(self, board):
        self.board = board
        self.peripherals = board.peripherals

    # ---- the RTC ------------------------------------------------------------

    @host_import("rtc_base", [], [I64])
    def rtc_base(self):
        base = self.peripherals.rtc_base_us
        return RTC_STOPPED if base is None else _i64(base)

    @host_import("rtc_set_base", [I64])
    def rtc_set_base(self, base_us):
        self.peripherals.rtc_base_us = None if base_us == RTC_STOPPED else base_us

    @host_import("rtc_memory_read", [I32, I32], [I32])
    def rtc_memory_read(self, pointer, size):
        data = self.peripherals.rtc_memory[:size]
        self.chip.write(pointer, data)
        return len(data)

    @host_import("rtc_memory_write", [I32, I32])
    def rtc_memory_write(self, pointer, size):
        self.peripherals.rtc_memory = self.chip.read(pointer, min(size, RTC_MEMORY_MAX))

    # ---- the watchdog ---------------------------------------------------------

    @host_import("wdt_start", [I32])
    def wdt_start(self, timeout_ms):
        self.peripherals.start_watchdog(timeout_ms & 0xFFFFFFFF)

    @host_import("wdt_feed")
    def wdt_feed(self):
        self.peripherals.feed_watchdog()

    # ---- the CPU clock ----------------------------------------------------------

    @host_import("cpu_freq", [], [I32])
    def cpu_freq(self):
        return _signed32(self.peripherals.cpu_freq)

    @host_import("set_cpu_freq", [I32])
    def set_cpu_freq(self, hz):
        self.peripherals.cpu_freq = hz & 0xFFFFFFFF

    # ---- interrupts, lock-up, deep sleep ----------------------------------------

    @host_import("irq_mask", [I32])
    def irq_mask(self, masked):
        with self.chip.cond:
            self.chip.masked = bool(masked)
            self.chip.cond.notify_all()

    @host_import("halt")
    def halt(self):
        """The chip stops running code until it is reset (the reset button,
        power off, or the watchdog, which keeps counting)."""
        self._idle_until(None)

    @host_import("deepsleep", [I64])
    def deepsleep(self, timeout_us):
        """The ESP32's deep sleep: all but the RTC is off (timers, the task
        watchdog); after `timeout_us` (-1: never) it wakes with a reset."""
        self.peripherals.stop_watchdog()
        clock = self.board.clock
        deadline = None if timeout_us < 0 else clock.peek_ns() + timeout_us * 1000
        self._idle_until(deadline)
        self.chip.stop(DEEPSLEEP)

    def _idle_until(self, deadline):
        """Let board time pass with the CPU stopped: only the host's and the
        machine's events (a button's bounce, the watchdog) happen, until the
        chip must stop or `deadline` (board ns) passes."""
        chip, clock, timeline = self.chip, self.board.clock, self.board.timeline
        timeline.soft_reset()           # the CPU serves no timer any more
        while True:
            timeline.run_due()
            with chip.cond:
                if chip.stop_cause is not None:
                    return
                now = clock.peek_ns()
                if deadline is not None and now >= deadline:
                    return
                due = timeline.next_due()
                until = deadline if due is None else due if deadline is None else min(due, deadline)
                if clock.virtual and until is not None:
                    clock.advance_to(until)
                    continue
                chip.cond.wait(None if until is None else max(0, until - now) / 1e9)


def _signed32(value):
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >> 31 else value


class MemoryBlock:
    """machine.mem8/16/32 on the chip's bus. The map has the chip's regions
    (a read or write outside them is a bus fault, as on the chip) and, in
    them, the GPIO registers the model has (read from and written to the
    GPIO bank); the rest of a region reads 0 and ignores writes."""

    def __init__(self, board):
        self.board = board
        self.gpio = board.gpio
        self.count = board.definition.gpio_count
        self.esp32 = board.definition.mcu == "ESP32"
        self.regions = ESP32_REGIONS if self.esp32 else RP2040_REGIONS

    def _mapped(self, address):
        return any(start <= address < end for start, end in self.regions)

    @host_import("mem_read", [I32, I32, I32], [I32])
    def mem_read(self, address, size, pointer):
        address = _u32(address)
        if not self._mapped(address):
            return MEM_FAULT
        word_address = address & ~3
        word = self._register(word_address)
        shift = 8 * (address - word_address)
        value = (word >> shift) & ((1 << (8 * size)) - 1)
        self.chip.write(pointer, value.to_bytes(4, "little"))
        return MEM_OK

    @host_import("mem_write", [I32, I32, I32], [I32])
    def mem_write(self, address, size, value):
        address = _u32(address)
        if not self._mapped(address):
            return MEM_FAULT
        if size == 4:
            self._write_register(address, _u32(value))
        return MEM_OK

    # ---- the registers the model has -------------------------------------------

    def _bits(self, test):
        return sum(1 << n for n in range(self.count) if test(self.gpio[n]))

    def _register(self, address):
        bits = self._bits
        if self.esp32:
            low = {ESP32_GPIO_IN: lambda p: p.level, ESP32_GPIO_OUT: lambda p: p.output,
                   ESP32_GPIO_ENABLE: _drives}
            high = {ESP32_GPIO_IN1: lambda p: p.level, ESP32_GPIO_OUT1: lambda p: p.output,
                    ESP32_GPIO_ENABLE1: _drives}
            if address in low:
                return bits(low[address]) & 0xFFFFFFFF
            if address in high:
                return (bits(high[address]) >> 32) & 0xFF
            return 0
        if address == RP2040_CHIP_ID:
            return 0x20002927             # RP2040-B2
        if address == SIO_GPIO_IN:
            return bits(lambda p: p.level)
        if address == SIO_GPIO_OUT:
            return bits(lambda p: p.output)
        if address == SIO_GPIO_OE:
            return bits(_drives)
        return 0

    def _write_register(self, address, value):
        """The output registers: SIO's GPIO_OUT and GPIO_OE with their
        set/clear/xor aliases on the RP2040, GPIO_OUT/_ENABLE and their
        W1TS/W1TC on the ESP32."""
        if self.esp32:
            outputs = {ESP32_GPIO_OUT: "=", ESP32_GPIO_OUT_W1TS: "|", ESP32_GPIO_OUT_W1TC: "&~"}
            enables = {ESP32_GPIO_ENABLE: "=", ESP32_GPIO_ENABLE_W1TS: "|", ESP32_GPIO_ENABLE_W1TC: "&~"}
        else:
            outputs = {SIO_GPIO_OUT: "=", SIO_GPIO_OUT + 4: "|", SIO_GPIO_OUT + 8: "&~",
                       SIO_GPIO_OUT + 12: "^"}
            enables = {SIO_GPIO_OE: "=", SIO_GPIO_OE + 4: "|", SIO_GPIO_OE + 8: "&~",
                       SIO_GPIO_OE + 12: "^"}
        if address in outputs:
            self._apply(outputs[address], value, bits_of=lambda p: p.output, set_bit=self._set_output)
        elif address in enables:
            self._apply(enables[address], value, bits_of=_drives, set_bit=self._set_enable)

    def _apply(self, op, value, bits_of, set_bit):
        for n in range(min(self.count, 32)):
            pin = self.gpio[n]
            old = 1 if bits_of(pin) else 0
            bit = (value >> n) & 1
            new = {"=": bit, "|": old | bit, "&~": old & ~bit & 1, "^": old ^ bit}[op]
            if new != old:
                set_bit(pin, new)

    def _set_output(self, pin, level):
        self.gpio.change(pin, lambda: setattr(pin, "output", level))

    def _set_enable(self, pin, enabled):
        """Output enable on a pin in GPIO use makes it an output, or an input."""
        if pin.mode not in (IN, OUT):
            return

        def update():
            pin.mode = OUT if enabled else IN
        self.gpio.change(pin, update)
        self.gpio.notify(pin)


def _drives(pin):
    """The pin's output enable: an output, or an open drain pulling low."""
    return pin.mode == OUT or (pin.mode == OPEN_DRAIN and pin.output == 0)


# The RP2040's address map (datasheet 2.2): ROM, XIP flash and its control,
# SRAM (and its aliases), the APB and AHB-Lite peripherals, SIO, the
# Cortex-M0+ private peripherals.
RP2040_REGIONS = (
    (0x00000000, 0x00004000), (0x10000000, 0x1C000000), (0x20000000, 0x20042000),
    (0x21000000, 0x21040000), (0x40000000, 0x40070000), (0x50000000, 0x50400000),
    (0xD0000000, 0xD0000180), (0xE0000000, 0xE0010000),
)
RP2040_CHIP_ID = 0x40000000
SIO_GPIO_IN, SIO_GPIO_OUT, SIO_GPIO_OE = 0xD0000004, 0xD0000010, 0xD0000020

# The ESP32's (technical reference manual 1.3): flash through the cache,
# the peripherals, RTC fast memory, internal ROM and SRAM, RTC slow memory.
ESP32_REGIONS = (
    (0x3F400000, 0x3F800000), (0x3FF00000, 0x3FF82000), (0x3FF90000, 0x400C2000),
    (0x400C2000, 0x40C00000), (0x50000000, 0x50002000),
)
ESP32_GPIO_OUT, ESP32_GPIO_OUT_W1TS, ESP32_GPIO_OUT_W1TC = 0x3FF44004, 0x3FF44008, 0x3FF4400C
ESP32_GPIO_OUT1 = 0x3FF44010
ESP32_GPIO_ENABLE, ESP32_GPIO_ENABLE_W1TS, ESP32_GPIO_ENABLE_W1TC = 0x3FF44020, 0x3FF44024, 0x3FF44028
ESP32_GPIO_ENABLE1 = 0x3FF4402C
ESP32_GPIO_IN, ESP32_GPIO_IN1 = 0x3FF4403C, 0x3FF44040


class Nvs:
    """The ESP32's non-volatile storage: namespaces of typed keys, kept in
    `nvs.json` beside the board's flash image, so it lasts as long as the
    flash does."""

    def __init__(self, folder):
        self.path = os.path.join(folder, "nvs.json")
        self.store = {}
        try:
            with open(self.path) as file:
                self.store = json.load(file)
        except (OSError, ValueError):
            pass

    def save(self):
        try:
            with open(self.path, "w") as file:
                json.dump(self.store, file)
        except OSError:
            pass


# ESP-IDF's NVS error codes.
ESP_OK = 0
ESP_ERR_NVS_NOT_FOUND = 0x1102
ESP_ERR_NVS_INVALID_NAME = 0x1108
ESP_ERR_NVS_KEY_TOO_LONG = 0x1109
ESP_ERR_NVS_INVALID_LENGTH = 0x110C
ESP_ERR_NVS_VALUE_TOO_LONG = 0x110E
NVS_KEY_MAX = 15                  # NVS_KEY_NAME_MAX_SIZE - 1
NVS_BLOB_MAX = 508000             # what the 24 KiB "nvs" partition could not hold anyway
NVS_KINDS = {1: "i32", 2: "blob"}


class NvsBlock:
    def __init__(self, board):
        self.board = board

    @property
    def nvs(self):
        peripherals = self.board.peripherals
        if getattr(peripherals, "nvs", None) is None:
            peripherals.nvs = Nvs(self.board.flash.folder)
        return peripherals.nvs

    def _names(self, ns_pointer, key_pointer):
        from .hal import c_string
        return c_string(self.chip, ns_pointer), c_string(self.chip, key_pointer)

    @staticmethod
    def _check(ns, key):
        if not key or not ns:
            return ESP_ERR_NVS_INVALID_NAME
        if len(key.encode()) > NVS_KEY_MAX or len(ns.encode()) > NVS_KEY_MAX:
            return ESP_ERR_NVS_KEY_TOO_LONG
        return ESP_OK

    @host_import("nvs_set", [I32, I32, I32, I32, I32], [I32])
    def nvs_set(self, ns_pointer, key_pointer, kind, pointer, size):
        ns, key = self._names(ns_pointer, key_pointer)
        error = self._check(ns, key)
        if error:
            return error
        if kind == 2 and size > NVS_BLOB_MAX:
            return ESP_ERR_NVS_VALUE_TOO_LONG
        self.nvs.store.setdefault(ns, {})[key] = [NVS_KINDS[kind], self.chip.read(pointer, size).hex()]
        self.nvs.save()
        return ESP_OK

    @host_import("nvs_get", [I32, I32, I32, I32, I32, I32], [I32])
    def nvs_get(self, ns_pointer, key_pointer, kind, pointer, size, length_pointer):
        ns, key = self._names(ns_pointer, key_pointer)
        error = self._check(ns, key)
        if error:
            return error
        entry = self.nvs.store.get(ns, {}).get(key)
        if entry is None or entry[0] != NVS_KINDS[kind]:
            return ESP_ERR_NVS_NOT_FOUND
        data = bytes.fromhex(entry[1])
        self.chip.write(length_pointer, len(data).to_bytes(4, "little"))
        if len(data) > size:
            return ESP_ERR_NVS_INVALID_LENGTH
        self.chip.write(pointer, data)
        return ESP_OK

    @host_import("nvs_erase", [I32, I32], [I32])
    def nvs_erase(self, ns_pointer, key_pointer):
        ns, key = self._names(ns_pointer, key_pointer)
        error = self._check(ns, key)
        if error:
            return error
        if self.nvs.store.get(ns, {}).pop(key, None) is None:
            return ESP_ERR_NVS_NOT_FOUND
        self.nvs.save()
        return ESP_OK


def blocks(board):
    return [TimerBlock(board), MachineBlock(board), MemoryBlock(board), NvsBlock(board)]
