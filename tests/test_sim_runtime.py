"""The board's runtime surface (sys, time, micropython, gc, machine) and its
resets (soft: globals, boot.py, main.py; hard: machine.reset)."""

import os
import time

import pytest
import serial

from boardlab.interpreter import register_url_handler
from boardlab.interpreter.testing import enter_raw, raw_exec, read_until, sim_link
from boardlab.transport.errors import BoardRebooted
from boardlab.transport.link import open_link
from boardlab.transport.raw_repl import RawRepl
from conftest import board_fixture
from waiting import wait_until

BANNER_END = b'Type "help()" for more information.\r\n>>> '
RAW = b"raw REPL; CTRL-B to exit\r\n>"


raw = board_fixture("sim://pico?seed=7")  # real time


def value(link, expression):
    out, err = raw_exec(link, f"print(repr({expression}))")
    assert err == ""
    return out.rstrip("\r\n")


def test_sys_identifies_micropython_on_rp2(raw):
    assert value(raw, "__import__('sys').implementation.name") == "'micropython'"
    assert value(raw, "__import__('sys').implementation.version") == "(1, 28, 0, '')"
    assert value(raw, "__import__('sys').platform") == "'rp2'"
    assert value(raw, "__import__('sys').implementation._machine") == "'Raspberry Pi Pico with RP2040'"
    assert value(raw, "__import__('os').uname().machine") == "'Raspberry Pi Pico with RP2040'"


def test_ticks_wrap_at_2_to_the_30(raw):
    code = ("import time\nM = 1 << 30\n"
            "print(time.ticks_add(M - 1, 1), time.ticks_diff(0, M - 1), time.ticks_diff(M - 1, 0),"
            " time.ticks_add(5, -10))")
    assert raw_exec(raw, code) == (f"0 1 -1 {(1 << 30) - 5}\r\n", "")
    assert 0 <= int(value(raw, "__import__('time').ticks_ms()")) < 1 << 30


def test_real_sleep_takes_real_time(raw):
    start = time.monotonic()
    out, _ = raw_exec(raw, "import time\nt = time.ticks_ms()\ntime.sleep_ms(150)\n"
                           "print(time.ticks_diff(time.ticks_ms(), t))")
    assert time.monotonic() - start >= 0.15
    assert 150 <= int(out) < 750                # not far past its end, even on a loaded machine


def test_virtual_time_sleeps_cost_no_wall_time():
    with sim_link("sim://pico?time=virtual") as link:
        enter_raw(link)
        start = time.monotonic()
        out, err = raw_exec(link, "import time\nt = time.ticks_ms()\ntime.sleep(60)\ntime.sleep_ms(500)\n"
                                  "print(time.ticks_diff(time.ticks_ms(), t))")
        assert time.monotonic() - start < 15    # a fraction of the board's minute
        assert 60500 <= int(out) < 60510
        # a busy wait on the virtual clock still ends
        out, err = raw_exec(link, "import time\nt = time.ticks_ms()\n"
                                  "while time.ticks_diff(time.ticks_ms(), t) < 50: pass\nprint('done')")
        assert (out, err) == ("done\r\n", "")


def test_seed_makes_random_numbers_and_unique_id_reproducible():
    def sample():
        with sim_link("sim://pico?seed=3") as link:
            enter_raw(link)
            return raw_exec(link, "import random, machine\nprint(random.getrandbits(32), machine.unique_id())")
    assert sample() == sample()


def test_micropython_and_gc(raw):
    assert value(raw, "__import__('micropython').const(3)") == "3"
    out, err = raw_exec(raw, "import gc\ngc.collect()\nprint(gc.mem_free() + gc.mem_alloc(), gc.mem_free() > 200000)")
    assert (out, err) == ("233024 True\r\n", "")


def test_led_pin_drives_the_board_state(raw):
    board = raw.board
    raw_exec(raw, "from machine import Pin\nled = Pin(25, Pin.OUT)\nled.on()")
    assert board.gpio[25].level == 1
    assert value(raw, "led.value()") == "1"
    raw_exec(raw, "Pin('LED').toggle()")
    assert board.gpio[25].level == 0
    assert value(raw, "Pin('LED') is led") == "True"
    assert value(raw, "led") == "Pin(GPIO25, mode=OUT)"


def test_input_pin_reads_what_the_outside_drives(raw):
    raw_exec(raw, "from machine import Pin\nbutton = Pin(14, Pin.IN, Pin.PULL_UP)")
    assert value(raw, "button.value()") == "1"
    raw.board.gpio[14].drive(0)
    assert value(raw, "button.value()") == "0"


@pytest.mark.parametrize("pin, message", [
    ("30", "ValueError: invalid pin"),
    ("-1", "ValueError: invalid pin"),
    ("'NOPE'", 'ValueError: unknown named pin "NOPE"'),
])
def test_invalid_pins_are_refused_like_the_rp2_port(raw, pin, message):
    out, err = raw_exec(raw, f"from machine import Pin\nPin({pin})")
    assert err.endswith(message + "\r\n")


def test_machine_identity(raw):
    assert value(raw, "len(__import__('machine').unique_id())") == "8"
    assert value(raw, "__import__('machine').freq()") == "125000000"


# ---- resets -------------------------------------------------------------

def write_flash_file(link, name, text):
    raw_exec(link, f"f = open({name!r}, 'w')\nf.write({text!r})\nf.close()")


def test_soft_reset_clears_globals_and_modules(raw):
    write_flash_file(raw, "counter.py", "n = 0\n")
    raw_exec(raw, "import counter\ncounter.n += 1\nkept = 1")
    raw.write(b"\x04")
    read_until(raw, RAW)
    assert value(raw, "'kept' in globals()") == "False"
    assert value(raw, "__import__('counter').n") == "0"


def test_boot_py_runs_on_soft_reset_main_py_only_in_friendly_mode(raw):
    write_flash_file(raw, "boot.py", "print('boot ran')\nbooted = True\n")
    write_flash_file(raw, "main.py", "print('main ran')\n")
    raw.write(b"\x04")
    assert read_until(raw, RAW) == b"OK\r\nMPY: soft reboot\r\nboot ran\r\n" + RAW
    assert value(raw, "booted") == "True"
    raw.write(b"\x02")                        # friendly REPL, then Ctrl-D there
    read_until(raw, b">>> ")
    raw.write(b"\x04")
    assert read_until(raw, b">>> ").startswith(b"\r\nMPY: soft reboot\r\nboot ran\r\nmain ran\r\nMicroPython v1.28.0")


def test_main_py_error_is_printed_and_the_repl_follows(raw):
    write_flash_file(raw, "main.py", "x = 1\ny = x / 0\n")
    raw.write(b"\x02")
    read_until(raw, b">>> ")
    raw.write(b"\x04")
    text = read_until(raw, b">>> ")
    assert (b'Traceback (most recent call last):\r\n  File "main.py", line 2, in <module>\r\n'
            b"ZeroDivisionError: divide by zero\r\nMicroPython v1.28.0") in text


def test_machine_reset_restarts_from_power_on(raw):
    write_flash_file(raw, "main.py", "print('main ran')\n")
    raw_exec(raw, "from machine import Pin\nPin(25, Pin.OUT).on()\nkept = 1")
    raw.write(b"import machine\nmachine.reset()\x04")
    text = read_until(raw, BANNER_END)
    assert text.startswith(b"OK") and b"main ran\r\nMicroPython v1.28.0" in text
    assert raw.board.gpio[25].level == 0
    enter_raw(raw)
    assert value(raw, "'kept' in globals()") == "False"
    assert value(raw, "__import__('machine').reset_cause() == __import__('machine').WDT_RESET") == "True"


def test_machine_reset_mid_cell_is_a_reboot_to_the_transport_and_the_flash_keeps_its_files():
    link = open_link("sim://pico?time=virtual")
    repl = RawRepl(link, port_name="sim://pico")
    try:
        repl.enter_raw()
        repl.exec("with open('kept.txt', 'w') as f:\n    f.write('still here')\nstate = 1")
        with pytest.raises(BoardRebooted, match="restarted") as caught:
            repl.execute("import machine\nprint('bye')\nmachine.reset()\nprint('never')")
        assert caught.value.output.startswith("bye\n") and "never" not in caught.value.output
        assert repl.exec("print(open('kept.txt').read(), 'state' in globals())") == "still here False\n"
    finally:
        repl.close()


def test_unknown_board_lists_the_known_ones():
    register_url_handler()
    with pytest.raises(serial.SerialException, match="known boards: esp32, pico, picow"):
        serial.serial_for_url("sim://nosuchboard")


def test_unknown_url_option_is_refused():
    register_url_handler()
    with pytest.raises(serial.SerialException, match="unknown option"):
        serial.serial_for_url("sim://pico?speed=9")


def test_link_behaves_like_pyserial():
    with sim_link(timeout=0) as link:
        assert link.read(10) == b""            # timeout 0: non-blocking
        link.write(b"\r")
        wait_until(lambda: link.in_waiting >= 6, 2, "the friendly REPL's prompt")
        assert link.in_waiting == 6            # "\r\n>>> "
        link.reset_input_buffer()
        assert link.in_waiting == 0
        link.dtr = False
        link.rts = False
        link.reset_output_buffer()
    assert not link.is_open


def test_pty_server_speaks_the_same_protocol():
    from boardlab.interpreter.pty import serve_pty
    server = serve_pty("pico")
    try:
        with serial.Serial(server.path, timeout=2) as port:
            port.write(b"\r\x01")
            read_until(port, RAW)
            port.write(b"print(6 * 7)\x04")
            assert read_until(port, b"\x04>") == b"OK42\r\n\x04\x04>"
    finally:
        server.stop()
    assert not os.path.exists(server.board.flash.folder)


# ---- asyncio and select -------------------------------------------------

def test_asyncio_runs_on_the_board_clock_and_ctrl_c_ends_it():
    with sim_link("sim://pico?time=virtual") as link:
        enter_raw(link)
        code = ("import asyncio, time\nasync def blink(n):\n    for i in range(n):\n"
                "        await asyncio.sleep_ms(15000)\n    return n\nt = time.ticks_ms()\n"
                "print(asyncio.run(blink(4)), time.ticks_diff(time.ticks_ms(), t) // 100)")
        start = time.monotonic()
        assert raw_exec(link, code) == ("4 600\r\n", "")
        assert time.monotonic() - start < 15    # a fraction of the board's minute
    with sim_link() as link:
        enter_raw(link)
        link.write(b"import asyncio\nasync def f():\n    print('started')\n"
                   b"    await asyncio.sleep(60)\nasyncio.run(f())\x04")
        read_until(link, b"started\r\n")
        start = time.monotonic()
        link.write(b"\x03")
        assert read_until(link, b"\x04>").endswith(b"KeyboardInterrupt: \r\n\x04>")
        assert time.monotonic() - start < 2     # at once, not at the sleep's end


def test_poll_sees_a_key_press(raw):
    setup = "import select, sys\np = select.poll()\np.register(sys.stdin, select.POLLIN)\n"
    assert raw_exec(raw, setup + "print(p.poll(0))") == ("[]\r\n", "")
    raw.write((setup + "print('polling')\nr = p.poll(5000)\n"
                       "print(r[0][1] == select.POLLIN, sys.stdin.read(1))\x04").encode())
    read_until(raw, b"OKpolling\r\n")
    raw.write(b"k")
    assert read_until(raw, b"\x04>") == b"True k\r\n\x04\x04>"


def test_asyncio_threadsafeflag_is_set_by_an_irq():
    with sim_link("sim://pico?time=virtual") as link:
        enter_raw(link)
        link.write(b"import asyncio\nfrom machine import Pin\nflag = asyncio.ThreadSafeFlag()\n"
                   b"Pin(14, Pin.IN, Pin.PULL_UP).irq(lambda p: flag.set(), Pin.IRQ_FALLING)\n"
                   b"async def main():\n    print('waiting')\n    await flag.wait()\n    print('pressed')\n"
                   b"asyncio.run(main())\x04")
        read_until(link, b"waiting\r\n")
        link.board.parts["button"].press()
        assert read_until(link, b"\x04>", timeout=2) == b"pressed\r\n\x04\x04>"
