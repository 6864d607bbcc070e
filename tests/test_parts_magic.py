"""%part: a lab presses the simulated button and turns its knobs from a cell;
on a real board it says what to do by hand and the notebook goes on."""

import pytest

from boardlab.interpreter.pty import serve_pty
from kernel_fixtures import execute, start_kernel


@pytest.fixture(scope="module")
def kernel(kernelspec):
    km, kc = start_kernel(kernelspec, board="sim://pico?time=virtual&seed=1")
    yield kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def test_a_press_runs_the_boards_irq_handler_and_a_release_lets_go(kernel):
    setup = ("from machine import Pin\n"
             "button = Pin(14, Pin.IN, Pin.PULL_UP)\n"
             "falls = 0\n"
             "def fell(pin):\n"
             "    global falls\n"
             "    falls += 1\n"
             "button.irq(fell, Pin.IRQ_FALLING);")
    assert execute(kernel, setup).reply["status"] == "ok"
    assert execute(kernel, "%part button press").reply["status"] == "ok"
    assert execute(kernel, "print(button.value(), falls > 0)").stdout == "0 True\n"
    assert execute(kernel, "%part button").stdout == "button: pressed (Push button on GP14)\n"
    execute(kernel, "%part button release")
    assert execute(kernel, "print(button.value())").stdout == "1\n"


def test_a_knob_set_from_a_cell_is_what_the_adc_reads(kernel):
    execute(kernel, "%part potentiometer 25")
    run = execute(kernel, "from machine import ADC\nprint(round(ADC(26).read_u16() / 65535 * 100))")
    assert run.stdout == "25\n"
    execute(kernel, "%part temperature 30.5")
    assert execute(kernel, "%part temperature").stdout.startswith("temperature: 30.5 °C")


def test_the_listing_names_every_part_and_its_state(kernel):
    execute(kernel, "%part potentiometer 40")
    out = execute(kernel, "%part").stdout
    assert "  button: " in out
    assert "  potentiometer: 40 % (Potentiometer on GP26 (ADC0); 0 to 100 %)" in out
    assert "  humidity: " in out


@pytest.mark.parametrize("line, message", [
    ("%part buton press", "sim://pico?time=virtual&seed=1 has no part 'buton'. Did you mean button?"),
    ("%part button push", "a button takes press or release, not 'push'"),
    ("%part potentiometer 150", "150 is outside its range, 0 to 100 %"),
    ("%part potentiometer half", "give a number (0 to 100 %), not 'half'"),
])
def test_a_wrong_part_or_setting_says_what_is_possible_and_stops_the_cell(kernel, line, message):
    run = execute(kernel, f"{line}\nprint('not run')")
    assert run.reply["status"] == "error" and run.reply["ename"] == "UsageError"
    assert message in run.reply["evalue"]
    assert run.stdout == ""


def test_on_a_real_board_it_says_what_to_do_by_hand_and_goes_on(kernelspec):
    server = serve_pty("sim://pico")
    km, kc = start_kernel(kernelspec, board=server.path)
    try:
        run = execute(kc, "%part button press\nprint('next')", timeout=60)
        assert run.reply["status"] == "ok"
        assert run.stdout == (f"{server.path} is a real board: press the button by hand. "
                              "%part acts on simulated boards only.\nnext\n")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        server.stop()


def test_the_esp32_boot_button_reads_as_it_is_through_machine_reset(kernelspec):
    """The BOOT button's pull-up is on the DevKit: a reset of the chip
    leaves GPIO0 high while the button is up, low while it is held."""
    km, kc = start_kernel(kernelspec, board="sim://esp32?time=virtual")
    read = ("%part button\nfrom machine import Pin\nimport time\ntime.sleep_ms(10)\n"
            "print('GPIO0', Pin(0, Pin.IN).value())")
    try:
        released = "button: released (BOOT button on GPIO0)\nGPIO0 1\n"
        assert execute(kc, read, timeout=60).stdout == released
        assert execute(kc, "import machine\nmachine.reset()").reply["ename"] == "BoardRebooted"
        assert execute(kc, read).stdout == released
        execute(kc, "%part button press")
        assert execute(kc, "import machine\nmachine.reset()").reply["ename"] == "BoardRebooted"
        assert execute(kc, read).stdout == "button: pressed (BOOT button on GPIO0)\nGPIO0 0\n"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
