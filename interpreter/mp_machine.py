"""`machine` on the board: the peripheral classes (one machine_<name>.py
each, after MicroPython's own source files), resets, and the board's identity.

Each class is made per VM (a soft reset gives fresh classes) and bound to
the board's hardware state: pins in gpio.py, what is wired to them in
peripherals.py, interrupts in scheduler.py.
"""

import types

from .machine_adc import make_adc_class, make_touchpad_class
from .machine_i2c import make_i2c_classes
from .machine_pin import make_pin_class, make_signal_class
from .machine_pwm import make_pwm_class
from .machine_spi import make_spi_classes
from .machine_timer import make_rtc_class, make_timer_class, make_wdt_class
from .machine_uart import make_uart_class

PWRON_RESET, WDT_RESET = 1, 3
ESP32_RESET_CAUSES = dict(PWRON_RESET=1, HARD_RESET=2, WDT_RESET=3, DEEPSLEEP_RESET=4, SOFT_RESET=5)


class HardReset(BaseException):
    """machine.reset(): the board restarts from power-on. Raised in the CPU
    thread and handled by the board's main loop."""


def make_module(vm):
    board = vm.board
    definition = board.definition
    peripherals = board.peripherals
    module = types.ModuleType("machine")
    Pin = make_pin_class(vm)
    irq_state = {"disabled": 0}

    def unique_id():
        return board.unique_id

    def freq(hz=None, *args):
        if hz is None:
            return peripherals.cpu_freq
        hz = int(hz)
        if definition.port == "rp2" and not 10_000_000 <= hz <= 250_000_000:
            raise ValueError("cannot change frequency")
        if definition.port == "esp32" and hz not in (20_000_000, 40_000_000, 80_000_000,
                                                     160_000_000, 240_000_000):
            raise ValueError("frequency must be 20MHz, 40MHz, 80Mhz, 160MHz or 240MHz")
        peripherals.cpu_freq = hz

    def reset():
        raise HardReset()

    def soft_reset():
        raise SystemExit()

    def reset_cause():
        return board.reset_cause

    def idle():
        board.sleep_ns(0)

    def lightsleep(ms=None):
        if ms is None:
            board.scheduler.wait()       # until an interrupt wakes the board
        else:
            board.sleep_ns(int(ms) * 1_000_000)

    def deepsleep(ms=None):
        lightsleep(ms)
        raise HardReset()

    def disable_irq():
        irq_state["disabled"] += 1
        return irq_state["disabled"] - 1

    def enable_irq(state=0):
        irq_state["disabled"] = state

    def time_pulse_us(pin, pulse_level, timeout_us=1_000_000):
        gpio = Pin._find(pin)
        state = board.gpio[gpio]
        timeout_ns = int(timeout_us) * 1000
        clock = board.clock

        def wait_for(level):
            start = clock.peek_ns()
            while state.level != level:
                waited = clock.peek_ns() - start
                if waited >= timeout_ns:
                    return None
                # real time: look again soon, a host may drive the pin without an event
                board.scheduler.wait(min(timeout_ns - waited, 100_000)
                                     if not clock.virtual else timeout_ns - waited)
            return clock.peek_ns() - start

        if wait_for(pulse_level) is None:
            return -2
        length = wait_for(1 - pulse_level)
        return -1 if length is None else length // 1000

    def bitstream(pin, encoding, timing, data):
        gpio = Pin._find(pin)
        if encoding != 0:
            raise ValueError("invalid encoding")
        data = bytes(memoryview(data))
        sum_ns = sum(timing[:2]) if len(timing) >= 2 else 1250
        board.spend_ns(len(data) * 8 * sum_ns)
        sink = peripherals.bitstream_sinks.get(gpio)
        if sink is not None:
            sink(data)

    I2C, SoftI2C = make_i2c_classes(vm, Pin)
    SPI, SoftSPI = make_spi_classes(vm, Pin)
    namespace = dict(
        Pin=Pin, Signal=make_signal_class(Pin), ADC=make_adc_class(vm, Pin),
        PWM=make_pwm_class(vm, Pin), I2C=I2C, SoftI2C=SoftI2C, SPI=SPI, SoftSPI=SoftSPI,
        UART=make_uart_class(vm, Pin), Timer=make_timer_class(vm), RTC=make_rtc_class(vm),
        WDT=make_wdt_class(vm),
        unique_id=unique_id, freq=freq, reset=reset, soft_reset=soft_reset,
        reset_cause=reset_cause, idle=idle, lightsleep=lightsleep, deepsleep=deepsleep,
        disable_irq=disable_irq, enable_irq=enable_irq, time_pulse_us=time_pulse_us,
        bitstream=bitstream,
        PWRON_RESET=PWRON_RESET, WDT_RESET=WDT_RESET,
    )
    if definition.port == "esp32":
        namespace.update(ESP32_RESET_CAUSES, TouchPad=make_touchpad_class(vm, Pin),
                         PIN_WAKE=2, EXT0_WAKE=2, EXT1_WAKE=3, TIMER_WAKE=4, TOUCHPAD_WAKE=5,
                         ULP_WAKE=6, SLEEP=2, DEEPSLEEP=4, wake_reason=lambda: 0)
    module.__dict__.update(namespace)
    return module
