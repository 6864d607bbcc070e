"""The system on each simulated board, as its port has it: resets and their
causes (machine.reset(), the watchdog, deep sleep, a soft reset), the RTC
through them, the CPU clock, interrupts masked, the ESP32's timers, and
machine.mem32 on the chip's memory map."""

import pytest

from boardlab.interpreter.testing import enter_raw, raw_exec, read_until
from conftest import error, run

BANNER_END = b'Type "help()" for more information.\r\n>>> '


def reboot(link, code):
    """Run `code`, which resets the board: what it printed until the new
    banner; then back in the raw REPL."""
    link.write(code.encode() + b"\x04")
    text = read_until(link, BANNER_END, timeout=10)
    enter_raw(link)
    return text.decode()


# pico: conftest's `raw` (a Pico on virtual time); esp32: conftest's.
@pytest.fixture
def pico(raw):
    return raw


# ---- reset causes ------------------------------------------------------------

def test_pico_reset_causes(pico):
    # ports/rp2: a power-on reads PWRON_RESET; machine.reset() goes through
    # the watchdog, so it reads WDT_RESET, as the watchdog's own does.
    assert run(pico, "import machine\nprint(machine.reset_cause(), machine.PWRON_RESET, machine.WDT_RESET)") == "1 1 3"
    reboot(pico, "import machine\nmachine.reset()")
    assert run(pico, "import machine\nprint(machine.reset_cause())") == "3"
    # deepsleep() is a lightsleep and machine.reset() on rp2
    reboot(pico, "import machine\nmachine.deepsleep(100)")
    assert run(pico, "import machine\nprint(machine.reset_cause())") == "3"


def test_esp32_reset_causes(esp32):
    assert run(esp32, "import machine\nprint(machine.reset_cause() == machine.PWRON_RESET)") == "True"
    reboot(esp32, "import machine\nmachine.reset()")
    assert run(esp32, "import machine\nprint(machine.reset_cause() == machine.HARD_RESET)") == "True"
    reboot(esp32, "import machine\nmachine.deepsleep(1500)")
    assert run(esp32, "import machine, time\nprint(machine.reset_cause() == machine.DEEPSLEEP_RESET, "
                      "machine.wake_reason() == machine.TIMER_WAKE, time.ticks_ms() < 1000)") == "True True True"
    # a soft reset: the ESP32 port reads SOFT_RESET after it
    esp32.write(b"\x04")
    read_until(esp32, b"raw REPL; CTRL-B to exit\r\n>")
    assert run(esp32, "import machine\nprint(machine.reset_cause() == machine.SOFT_RESET)") == "True"


def test_the_reset_button_reads_as_power_on(esp32):
    reboot(esp32, "import machine\nmachine.reset()")
    esp32.board.hard_reset()
    read_until(esp32, BANNER_END)
    enter_raw(esp32)
    assert run(esp32, "import machine\nprint(machine.reset_cause() == machine.PWRON_RESET)") == "True"


def test_each_press_of_the_reset_button_boots_the_board_once(esp32, caplog):
    # A press stops the chip at once, by the engine's epoch; the chip that
    # boots next must not take that stop for its own (a crash, then a reboot).
    for _ in range(30):
        esp32.board.hard_reset()
        read_until(esp32, BANNER_END)
        enter_raw(esp32)
        assert run(esp32, "import machine\nprint(machine.reset_cause() == machine.PWRON_RESET)") == "True"
    assert "firmware stopped" not in caplog.text


def test_esp32_watchdog(esp32):
    assert error(esp32, "from machine import WDT\nWDT(timeout=0)") == "ValueError: WDT timeout too short"
    assert error(esp32, "from machine import WDT\nWDT(1)") == "ValueError: "
    text = reboot(esp32, "from machine import WDT\nimport time\nw = WDT(timeout=200)\ntime.sleep(1)\nprint('never')")
    assert "never" not in text
    assert run(esp32, "import machine\nprint(machine.reset_cause() == machine.WDT_RESET)") == "True"


def test_a_watchdog_runs_on_after_a_soft_reset(pico):
    # Nothing feeds it but WDT.feed(): not the REPL, not a soft reset.
    run(pico, "from machine import WDT\nw = WDT(timeout=500)")
    pico.write(b"\x04")
    read_until(pico, b"raw REPL; CTRL-B to exit\r\n>")
    assert "never" not in reboot(pico, "import time\ntime.sleep(2)\nprint('never')")
    assert run(pico, "import machine\nprint(machine.reset_cause() == machine.WDT_RESET)") == "True"


def test_esp32_deepsleep_stops_the_watchdog(esp32):
    reboot(esp32, "from machine import WDT, deepsleep\nw = WDT(timeout=100)\ndeepsleep(2000)")
    assert run(esp32, "import machine\nprint(machine.reset_cause() == machine.DEEPSLEEP_RESET)") == "True"


# ---- the RTC ------------------------------------------------------------------

def test_pico_rtc_starts_again_at_every_boot(pico):
    run(pico, "from machine import RTC\nRTC().datetime((2024, 6, 1, 5, 12, 0, 0, 0))")
    assert run(pico, "import time\nprint(time.localtime()[:5], RTC().datetime()[7])") == "(2024, 6, 1, 12, 0) 0"
    reboot(pico, "import machine\nmachine.reset()")
    assert run(pico, "from machine import RTC\nprint(RTC().datetime()[:4])") == "(2021, 1, 1, 4)"


def test_esp32_rtc_keeps_time_and_memory_through_a_reset(esp32):
    out = run(esp32, "from machine import RTC\nimport time\nr = RTC()\nr.datetime((2024, 6, 1, 5, 12, 0, 0, 500000))\n"
                     "r.memory(b'kept')\nprint(r.datetime()[:7], time.time())")
    assert out == "(2024, 6, 1, 5, 12, 0, 0) 770558400"      # seconds since 2000 on the ESP32
    reboot(esp32, "import machine, time\ntime.sleep(5)\nmachine.reset()")
    out = run(esp32, "from machine import RTC\nr = RTC()\nprint(r.datetime()[:6], r.datetime()[6] >= 5, r.memory())")
    assert out == "(2024, 6, 1, 5, 12, 0) True b'kept'"
    # init() takes its tuple as (year, month, day, hours, minutes, seconds, us, tz)
    assert run(esp32, "r.init((2025, 2, 3, 4, 5, 6, 7, 8))\nprint(r.datetime()[:7])") == "(2025, 2, 3, 0, 4, 5, 6)"
    assert error(esp32, "r.memory(bytes(2049))") == "ValueError: buffer too long"
    assert error(esp32, "r.datetime((2024, 1, 1))") == "ValueError: requested length 8 but object has length 3"


def test_esp32_rtc_memory_goes_with_the_power(esp32):
    run(esp32, "from machine import RTC\nRTC().memory(b'x')")
    esp32.board.hard_reset()       # the EN button: the RTC's domain resets too
    read_until(esp32, BANNER_END)
    enter_raw(esp32)
    assert run(esp32, "from machine import RTC\nprint(RTC().memory(), RTC().datetime()[:3])") == "b'' (2000, 1, 1)"


# ---- the CPU clock --------------------------------------------------------------

def test_pico_freq(pico):
    assert run(pico, "import machine\nmachine.freq(133_000_000)\nprint(machine.freq())\n"
                     "machine.freq(48_000_000, 48_000_000)\nprint(machine.freq())") == "133000000\n48000000"
    assert error(pico, "machine.freq(123_456_789)") == "ValueError: cannot change frequency"
    assert error(pico, "machine.freq(125_000_000, 1)") == \
        "ValueError: peripheral freq must be 48_000_000 or the same as the MCU freq"
    assert pico.board.peripherals.cpu_freq == 125_000_000


def test_esp32_freq(esp32):
    assert run(esp32, "import machine\nprint(machine.freq())\nmachine.freq(240_000_000)\nprint(machine.freq())") == \
        "160000000\n240000000"
    assert error(esp32, "machine.freq(100_000_000)") == \
        "ValueError: frequency must be 20MHz, 40MHz, 80Mhz, 160MHz or 240MHz"
    assert error(esp32, "machine.freq(240_000_000, 48_000_000)") == \
        "TypeError: function expected at most 1 arguments, got 2"
    reboot(esp32, "machine.reset()")
    assert run(esp32, "import machine\nprint(machine.freq())") == "160000000"


def test_bootloader_on_rp2_only(pico, esp32):
    assert run(pico, "import machine\nprint(hasattr(machine, 'bootloader'))") == "True"
    assert run(esp32, "import machine\nprint(hasattr(machine, 'bootloader'), machine.sleep is machine.lightsleep)") == \
        "False True"


# ---- interrupts ----------------------------------------------------------------

def test_disable_irq_holds_timer_callbacks_until_enable_irq(pico):
    out = run(pico, "import machine, time\nlog = []\n"
                    "t = machine.Timer(mode=machine.Timer.ONE_SHOT, period=10, callback=lambda t: log.append(1))\n"
                    "s = machine.disable_irq()\ntime.sleep_ms(50)\nprint(s, log)\nmachine.enable_irq(s)\n"
                    "time.sleep_ms(1)\nprint(log)")
    assert out == "0 []\n[1]"
    # nested: the state says they were off already; 0 turns them on again
    assert run(pico, "a = machine.disable_irq()\nb = machine.disable_irq()\nmachine.enable_irq(b)\n"
                     "machine.enable_irq(a)\nprint(a, b)") == "0 1"


# ---- the ESP32's timers -------------------------------------------------------------

def test_esp32_hardware_timers(esp32):
    out = run(esp32, "from machine import Timer\nimport time\nlog = []\n"
                     "t = Timer(0, period=100, callback=lambda t: log.append(time.ticks_ms()))\n"
                     "print(t, Timer(0) is t)\ntime.sleep_ms(350)\nprint(t.value(), len(log))\nt.deinit()\n"
                     "print(Timer(3, mode=Timer.ONE_SHOT, freq=4))")
    assert out == "Timer(0, mode=PERIODIC, period=100) True\n50 3\nTimer(3, mode=ONE_SHOT, period=250)"
    assert error(esp32, "Timer(4)") == "ValueError: invalid Timer number"
    assert error(esp32, "Timer(0, period=10, hard=True)") == "ValueError: hard Timers are not implemented"
    assert error(esp32, "Timer(1).value()") == "ValueError: timer not set"
    # a timer with no callback schedules None, as the port does
    out, err = raw_exec(esp32, "t = Timer(2, mode=Timer.ONE_SHOT, period=5)\ntime.sleep_ms(10)")
    assert out.replace("\r\n", "\n") == "TypeError: 'NoneType' object isn't callable\n"


def test_rp2_timer_errors_and_reprs(pico):
    assert run(pico, "from machine import Timer\nprint(Timer())\nprint(Timer(period=5000, tick_hz=1))") == \
        "Timer(mode=ONE_SHOT, tick_hz=1000000, period=0)\nTimer(mode=PERIODIC, tick_hz=1000000, period=5000000000)"
    out, err = raw_exec(pico, "import time\nt = Timer(mode=Timer.ONE_SHOT, period=5, hard=True, callback=lambda t: 1/0)\n"
                              "time.sleep_ms(10)")
    assert err == "" and out.startswith("Uncaught exception in IRQ callback handler\r\n")
    # 16 alarms in the SDK's pool
    assert error(pico, "ts = [Timer(period=1000) for i in range(17)]") == "OSError: [Errno 12] ENOMEM"


# ---- mem8, mem16, mem32 ----------------------------------------------------------------

def test_pico_mem32_reads_and_drives_the_gpio_registers(pico):
    board = pico.board
    assert run(pico, "import machine\nprint(hex(machine.mem32[0x40000000]), machine.mem8[0x20000000], "
                     "machine.mem32)") == "0x20002927 0 <32-bit memory>"
    run(pico, "from machine import Pin\nPin(25, Pin.OUT)\nPin(3, Pin.IN)\n"
              "machine.mem32[0xd0000014] = 1 << 25")           # SIO GPIO_OUT_SET
    assert board.gpio[25].level == 1
    board.gpio[3].drive(1)                                       # something outside drives GPIO3
    assert run(pico, "print(machine.mem32[0xd0000004] >> 3 & 1, machine.mem32[0xd0000020] >> 25 & 1)") == "1 1"
    board.gpio[3].drive(0)
    assert run(pico, "print(machine.mem32[0xd0000004] >> 3 & 1)") == "0"
    run(pico, "machine.mem32[0xd0000018] = 1 << 25")               # GPIO_OUT_CLR
    assert board.gpio[25].level == 0
    run(pico, "machine.mem32[0xd0000028] = 1 << 25")               # GPIO_OE_CLR: an input now
    assert board.gpio[25].mode == 0
    assert error(pico, "machine.mem32[0xd0000002]") == "ValueError: address d0000002 is not aligned to 4 bytes"


def test_esp32_bus_fault_panics_and_reboots(esp32):
    text = reboot(esp32, "import machine\nmachine.mem32[0x60000000]")
    assert "Guru Meditation Error: Core  1 panic'ed (LoadProhibited). Exception was unhandled." in text
    assert "Rebooting..." in text
    assert run(esp32, "import machine\nprint(machine.reset_cause() == machine.HARD_RESET)") == "True"


def test_rp2_bus_fault_locks_the_chip_up_until_the_watchdog(pico):
    # A hard fault on the RP2040 stops the core: no output, no Ctrl-C; the
    # watchdog, if it runs, still resets the chip.
    text = reboot(pico, "import machine\nw = machine.WDT(timeout=1000)\nprint('before')\n"
                        "machine.mem32[0x60000000]\nprint('after')")
    assert "before" in text and "after" not in text
    assert run(pico, "import machine\nprint(machine.reset_cause() == machine.WDT_RESET)") == "True"
