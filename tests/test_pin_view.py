"""The pin view (%pins) and the simulated board's inputs.

Unit tests: decoding a real RP2040's registers, the query snippet through
the raw REPL of a simulated board (with registers faked), the "never while a
cell runs" rule for real boards, the inputs acting on the simulated board.
Then the kernel as Jupyter drives it: the live view while a cell runs, and a
widget message that changes what a running loop reads."""

import asyncio
import base64
import queue
import re
import threading
import time
from types import SimpleNamespace

import pytest

from boardlab.boards.parts import Slider
from boardlab.interpreter.hal_system import MemoryBlock
from boardlab.interpreter.testing import raw_exec
from boardlab.kernel import board_inputs, pin_picture, pin_states
from boardlab.kernel.connection import Connection
from boardlab.kernel.pin_view import PinView

from kernel_fixtures import Run, create_subshell, execute, send_request, start_kernel
from waiting import RunningCell, wait_until


# -- a real RP2040's registers ------------------------------------------------

SIO_IN, SIO_OUT, SIO_OE, RESET_DONE = 0xD0000004, 0xD0000010, 0xD0000020, 0x4000C008


def ctrl(n):
    return 0x40014004 + 8 * n


def pad(n):
    return 0x4001C004 + 4 * n


def inte(k):
    return 0x40014100 + 4 * k


def pwm(slice_, offset):
    return 0x40050000 + 0x14 * slice_ + offset


def pico_registers():
    """A Pico after: LED on, GP14 input with pull-up and an IRQ, GP15 PWM
    at 25 %, GP26 an ADC input, GP0 the UART's TX, GP31's worth of high bits."""
    regs = {RESET_DONE: 1 << 14}
    for n in range(30):
        regs[ctrl(n)] = 31                      # NULL: not in use
        regs[pad(n)] = 0x56                     # reset value: IE, pull-down, schmitt
    regs[ctrl(25)] = 5
    regs[SIO_OE] = 1 << 25
    regs[SIO_OUT] = 1 << 25
    regs[ctrl(14)] = 5
    regs[pad(14)] = 0x4A                        # IE, pull-up
    regs[SIO_IN] = (1 << 14) | (1 << 31)        # bit 31: mem32's sign on the board
    regs[inte(1)] = 0x4 << (4 * (14 % 8))       # EDGE_LOW on GPIO14
    regs[ctrl(15)] = 4
    regs[pwm(7, 0)] = 1                         # slice 7 enabled
    regs[pwm(7, 0xC)] = 16384 << 16             # channel B
    regs[pwm(7, 0x10)] = 65535
    regs[ctrl(26)] = 31
    regs[pad(26)] = 0x80                        # OD, input disabled: an ADC pin
    regs[ctrl(0)] = 2
    return regs


def snippet_values(regs):
    """What QUERY_SNIPPET prints for these registers, in its order."""
    values = [regs.get(a, 0) for a in (SIO_IN, SIO_OUT, SIO_OE, RESET_DONE)]
    for n in range(30):
        values += [regs.get(ctrl(n), 0), regs.get(pad(n), 0)]
    values += [regs.get(inte(k), 0) for k in range(4)]
    for s in range(8):
        values += [regs.get(pwm(s, 0), 0), regs.get(pwm(s, 0xC), 0), regs.get(pwm(s, 0x10), 0)]
    return values


def test_rp2040_registers_decode_to_pin_states():
    readings = pin_states.decode_rp2040(snippet_values(pico_registers()))
    assert len(readings) == 30
    led = readings[25]
    assert (led.mode, led.level) == ("OUT", 1)
    button = readings[14]
    assert (button.mode, button.level, button.pull, button.irq) == ("IN", 1, "up", True)
    assert readings[15].mode == "PWM" and readings[15].pwm == pytest.approx(0.25)
    assert readings[26].mode == "ADC" and readings[26].level is None
    assert (readings[0].mode, readings[0].function) == ("ALT", "UART")
    assert readings[2].mode is None             # never set up: no state claimed
    assert [pin_picture.describe(readings[n])[1] for n in (25, 14, 15, 26, 0)] == [
        "OUT high", "IN high, pull-up, IRQ", "PWM 25%", "ADC", "UART"]


def test_a_chip_other_than_the_rp2040_is_not_probed():
    answer = pin_states.decode_query("BOARDLAB-PINS unsupported ESP32 module with ESP32\r\n")
    assert answer.readings is None
    assert "RP2040 boards only" in answer.note and "ESP32" in answer.note
    with pytest.raises(ValueError):
        pin_states.decode_query("Traceback (most recent call last):\r\n")


def test_the_query_snippet_compiles_for_micropython(raw):
    # The simulated board's firmware is MicroPython's compiler.
    out, err = raw_exec(raw, f"compile({pin_states.QUERY_SNIPPET!r}, '<stdin>', 'exec')\nprint('compiled')")
    assert (out, err) == ("compiled\r\n", "")


@pytest.fixture
def sim_connection():
    connection = Connection("sim://pico")
    yield connection
    connection.close()


def _globals(connection):
    return connection.repl.exec("print(sorted(globals()))").strip()


@pytest.fixture
def register_reads(monkeypatch):
    """The addresses machine.mem32 reads on the simulated chip."""
    reads = []
    original = MemoryBlock.mem_read

    def recording(self, address, size, pointer):
        reads.append(address & 0xFFFFFFFF)
        return original(self, address, size, pointer)
    recording.host_import = original.host_import
    monkeypatch.setattr(MemoryBlock, "mem_read", recording)
    return reads


def test_the_query_runs_in_the_raw_repl_and_leaves_the_boards_globals_alone(register_reads, sim_connection):
    sim_connection.repl.exec("from machine import Pin\nled = Pin(25, Pin.OUT)\nled.on()")
    before = _globals(sim_connection)
    # The simulated RP2040 has mem32: the snippet reads its registers, the
    # SIO's GPIO registers among them, and nothing else.
    answer = pin_states.decode_query(sim_connection.repl.exec(pin_states.QUERY_SNIPPET))
    assert answer.machine == "Raspberry Pi Pico with RP2040"
    assert answer.readings[25].level == 1
    assert register_reads and set(register_reads) <= set(range(0x40000000, 0x40060000)) | set(
        range(0xD0000000, 0xD0000100))
    assert _globals(sim_connection) == before


# -- a real board: asked between cells only ---------------------------------------

class RealBoardStandin:
    """A connection that is not simulated: Connection.try_call over a lock
    that a running cell would hold, and a REPL answering the pin query."""

    simulated = None
    try_call = Connection.try_call

    def __init__(self, answer):
        self._lock = threading.Lock()
        self.sent = []
        self.repl = SimpleNamespace(exec=self._exec)
        self._answer = answer

    def _exec(self, code):
        self.sent.append(code)
        return self._answer


def test_a_real_board_is_not_asked_while_a_cell_runs():
    values = " ".join(map(str, snippet_values(pico_registers())))
    connection = RealBoardStandin(
        f"BOARDLAB-PINS Raspberry Pi Pico with RP2040\r\n{values}\r\n")
    view = PinView(SimpleNamespace(connection=connection, after_cell=[]))

    async def scenario():
        connection._lock.acquire()              # a cell is running
        await view.query_real_board()
        assert connection.sent == []
        assert "a cell is running" in view.status.value
        connection._lock.release()              # the cell ended
        await view.query_real_board()
        assert connection.sent == [pin_states.QUERY_SNIPPET]

    asyncio.run(scenario())
    assert view.readings[25].level == 1
    assert 'data-led="on"' in view.picture.value
    assert "LED: OUT high" in view.text()
    assert view.layout.title == "Raspberry Pi Pico with RP2040"


# -- the simulated board's inputs --------------------------------------------------

def _push_button(view):
    [button] = [c for c in view.inputs.children if "boardlab-part-button" in c._dom_classes]
    return button


def test_the_button_control_presses_the_simulated_button(sim_connection):
    sim_connection.repl.exec("from machine import Pin\nimport time\n"
                             "b = Pin(14, Pin.IN, Pin.PULL_UP)")

    def level():
        # after the press's bounce (a few ms of board time) has settled
        return sim_connection.repl.exec("time.sleep_ms(20)\nprint(b.value())").strip()

    view = PinView(SimpleNamespace(connection=sim_connection, after_cell=[]))
    view.update()
    button = _push_button(view)
    assert button.label == "Push button on GP14"
    assert level() == "1"
    button.pressed = True                  # what the browser sets while it is held down
    assert level() == "0"
    view.update()
    assert view.readings[14].level == 0
    assert 'data-pin="GP14" data-gpio="14" data-state="in-low"' in view.picture.value
    button.pressed = False                 # let go
    assert level() == "1"
    assert not sim_connection.simulated.parts["button"].pressed


def test_the_button_control_follows_a_press_from_elsewhere(sim_connection):
    """%part presses the part itself: the control shows it pressed and held
    (it stays down until released), and a release lets both go."""
    part = sim_connection.simulated.parts["button"]
    view = PinView(SimpleNamespace(connection=sim_connection, after_cell=[]))
    view.update()
    button = _push_button(view)
    assert (button.pressed, button.held) == (False, False)
    part.press()
    assert (button.pressed, button.held) == (True, True)
    button.held = False                    # the hold box unticked, in the browser
    button.pressed = False
    assert not part.pressed
    button.pressed = True                  # held down in the browser...
    part.release()                         # ... and released by %part meanwhile
    assert (button.pressed, button.held) == (False, False)
    part.press()
    view._attach(None)                     # the view moves to another board
    part.release()
    assert button.comm is None and button.pressed   # closed: it no longer follows


def test_a_part_pressed_before_the_view_is_made_shows_pressed(sim_connection):
    sim_connection.simulated.parts["button"].press()
    view = PinView(SimpleNamespace(connection=sim_connection, after_cell=[]))
    view.update()
    button = _push_button(view)
    assert (button.pressed, button.held) == (True, True)


def test_a_slider_sets_its_parts_value_and_follows_it():
    part = Slider(SimpleNamespace(), "potentiometer", "Potentiometer on GP26",
                  0.0, 100.0, 1.0, "%", 50.0, pin=26)
    label, row = board_inputs.control_for(part).children
    slider, unit = row.children
    assert label.value == "Potentiometer on GP26"
    assert (slider.min, slider.max, slider.value, unit.value) == (0, 100, 50, "%")
    slider.value = 80                      # moved in the browser
    assert part.value == 80
    part.value = 25                        # %part potentiometer 25
    assert slider.value == 25
    slider.close()
    part.value = 60
    assert slider.value == 25              # closed: it no longer follows


def test_the_uart_box_sends_a_line_to_the_boards_uart(sim_connection):
    sim_connection.repl.exec("from machine import UART\nu = UART(0, 115200)")
    row = board_inputs.controls(sim_connection.simulated)[-1]
    text, button = row.children
    assert "boardlab-uart" in text._dom_classes
    text.value = "hello board"
    button.click()
    assert text.value == ""
    assert sim_connection.repl.exec("print(u.readline())").strip() == "b'hello board\\n'"


# -- in the kernel -------------------------------------------------------------------

@pytest.fixture(scope="module")
def kernel(kernelspec):
    km, kc = start_kernel(kernelspec)
    yield kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def _models(run):
    """model_id -> state of the widgets the run opened."""
    return {m["content"]["comm_id"]: m["content"]["data"]["state"]
            for m in run.of_type("comm_open")}


def execute_seeing_all(kc, code, timeout=30):
    """Like execute(), but keeps every iopub message that arrives meanwhile:
    the live view's widget messages belong to the %pins request (a comm
    message is routed by its comm id, not by its parent)."""
    msg_id = kc.execute(code)
    messages, times = [], []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=0.1)
        except queue.Empty:
            continue
        messages.append(msg)
        times.append(time.monotonic())
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status" \
                and msg["content"]["execution_state"] == "idle":
            reply = kc.get_shell_msg(timeout=timeout)
            return Run(reply, messages, times)
    raise AssertionError(f"cell did not finish in {timeout}s: {code!r}")


def _picture_updates(run, model_id):
    return [m["content"]["data"]["state"]["value"] for m in run.of_type("comm_msg")
            if m["content"]["comm_id"] == model_id
            and "value" in m["content"]["data"].get("state", {})]


@pytest.fixture(scope="module")
def pins(kernel):
    """%pins shown once: the widget models it opened."""
    run = execute(kernel, "%pins")
    assert run.reply["status"] == "ok", run.reply
    return run


def test_pins_shows_the_board_with_a_saved_copy_for_viewers_without_widgets(pins):
    [shown] = pins.of_type("display_data")
    data = shown["content"]["data"]
    assert "application/vnd.jupyter.widget-view+json" in data
    assert 'data-pin="LED" data-led="off"' in data["image/svg+xml"]
    assert data["text/plain"].startswith("Raspberry Pi Pico with RP2040 (simulated)")
    # the same picture for JupyterLab showing a notebook it does not trust
    # (it never draws image/svg+xml there)
    src = re.fullmatch(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="[^"]*">',
                       data["text/html"]).group(1)
    assert base64.b64decode(src).decode() == data["image/svg+xml"]
    button = _models(pins)[_button_id(pins)]
    assert (button["label"], button["pressed"], button["held"]) == \
        ("Push button on GP14", False, False)


def _button_id(pins):
    return next(i for i, s in _models(pins).items()
                if "boardlab-part-button" in s.get("_dom_classes", ()))


def _picture_id(pins):
    return next(i for i, s in _models(pins).items()
                if "boardlab-pin-picture" in s.get("_dom_classes", ()))


def test_the_view_follows_the_led_while_the_cell_runs(kernel, pins):
    picture = _picture_id(pins)
    run = execute_seeing_all(kernel, "from machine import Pin\nimport time\n"
                                     "led = Pin('LED', Pin.OUT)\n"
                                     "for i in range(10):\n    led.toggle()\n"
                                     "    time.sleep_ms(150)\nled.on()")
    assert run.reply["status"] == "ok", run.reply
    updates = _picture_updates(run, picture)
    states = [re.search(r'data-led="(on|off)"', svg).group(1) for svg in updates]
    assert states.count("on") >= 3 and states.count("off") >= 3, states
    span = run.times[-1] - run.times[0]
    assert len(updates) <= 20 * span + 2
    # after the cell, the saved copy shows the LED lit
    [saved] = run.of_type("update_display_data")
    assert "LED: OUT high" in saved["content"]["data"]["text/plain"]
    assert 'data-led="on"' in saved["content"]["data"]["image/svg+xml"]
    assert saved["content"]["data"]["text/html"].startswith('<img src="data:image/svg+xml')
    text = execute(kernel, "%pins --text").stdout
    assert "LED: OUT high" in text


def _send_widget_state(kc, model_id, subshell=None, **state):
    """What the browser sends when a widget changes (a slider's value, the
    push button's `pressed`), on the main shell or on a subshell."""
    return send_request(kc, "comm_msg", subshell, comm_id=model_id, data={
        "method": "update", "state": state, "buffer_paths": []})


class IOPubSeen:
    """Every iopub message seen, and a wait for the one a test expects
    (which may have come already, while waiting for another)."""

    def __init__(self, kc):
        self.kc, self.messages = kc, []

    def wait_for(self, what, matches, timeout=30):
        deadline = time.monotonic() + timeout
        while not any(matches(m) for m in self.messages):
            if time.monotonic() > deadline:
                raise AssertionError(f"never came: {what}")
            try:
                self.messages.append(self.kc.get_iopub_msg(timeout=0.2))
            except queue.Empty:
                pass

    def stdout(self, parent):
        return "".join(m["content"]["text"] for m in self.messages
                       if m["msg_type"] == "stream" and _parent(m) == parent)


def _parent(msg):
    return msg["parent_header"].get("msg_id")


def _is_idle(msg, parent):
    return (msg["msg_type"] == "status" and _parent(msg) == parent
            and msg["content"]["execution_state"] == "idle")


def test_each_widget_message_during_a_cell_is_answered_with_idle(kernel, pins):
    """ipywidgets' frontend sends a widget's next change only once the kernel
    said idle for its last one; without that a button works once per cell."""
    button = _button_id(pins)
    # The cell runs until it has seen the press and the release, and a moment more.
    cell = RunningCell(kernel, "from machine import Pin\nimport time\n"
                               "b = Pin(14, Pin.IN, Pin.PULL_UP)\nprint('waiting')\n"
                               "for level in (0, 1):\n    for i in range(500):\n"
                               "        if b.value() == level:\n            break\n"
                               "        time.sleep_ms(20)\n"
                               "time.sleep_ms(500)")
    cell.wait_for_stdout("waiting\n")
    sent = []
    for value in (True, False):    # as ipywidgets sends them: each after the last's idle
        sent.append(_send_widget_state(kernel, button, pressed=value))
        cell.wait_for(f"idle for widget message {len(sent) - 1}",
                      lambda: any(RunningCell.is_idle(m, sent[-1]) for m in cell.seen))
    assert cell.finish().reply["status"] == "ok"
    statuses = []
    for msg in cell.seen:
        parent = msg["parent_header"].get("msg_id")
        if msg["msg_type"] == "status":
            who = "cell" if parent == cell.msg_id else (f"widget{sent.index(parent)}"
                                                       if parent in sent else "other")
            statuses.append((who, msg["content"]["execution_state"]))
    assert statuses == [("cell", "busy"), ("widget0", "idle"), ("cell", "busy"),
                        ("widget1", "idle"), ("cell", "busy"), ("cell", "idle")]


def test_a_button_pressed_in_the_browser_reaches_a_running_loop(kernel, pins):
    button = _button_id(pins)
    # The loop reads the button until it was held a while, then let go.
    cell = RunningCell(kernel, "from machine import Pin\nimport time\n"
                               "b = Pin(14, Pin.IN, Pin.PULL_UP)\nheld = 0\n"
                               "for i in range(100):\n    v = b.value()\n    print(v)\n"
                               "    held += v == 0\n    if v and held >= 3:\n        break\n"
                               "    time.sleep_ms(100)")
    cell.wait_for_stdout("1\n")
    _send_widget_state(kernel, button, pressed=True)
    cell.wait_for("the press to reach the running loop", lambda: "0\n0\n0\n" in cell.stdout())
    _send_widget_state(kernel, button, pressed=False)
    run = cell.finish()
    values = run.stdout.split()
    assert values[0] == "1" and values[-1] == "1"
    # held for a while (a read may also catch the contacts bouncing)
    assert "0 0 0" in " ".join(values), "the press never reached the running loop"


def test_widget_messages_on_a_subshell_reach_a_running_loop(kernel, pins):
    """JupyterLab 4.4+ sends widget messages on a subshell of their own.
    Sent so, as ipywidgets' frontend sends them (a change only after the idle
    for the last), a press and a release reach a loop running on the board.
    (ipykernel 7.4 hands a comm message to the shell that last sent on that
    comm: here the press goes to the main shell, alongside the cell, and the
    release to the subshell's own thread.)"""
    button, subshell = _button_id(pins), create_subshell(kernel)
    seen = IOPubSeen(kernel)
    cell = kernel.execute("from machine import Pin\nimport time\n"
                          "b = Pin(14, Pin.IN, Pin.PULL_UP)\nprint('waiting')\n"
                          "for level, said in ((0, 'pressed'), (1, 'released')):\n"
                          "    for i in range(500):\n"
                          "        if b.value() == level:\n"
                          "            print(said)\n            break\n"
                          "        time.sleep_ms(20)")
    seen.wait_for("the loop", lambda m: "waiting" in seen.stdout(cell))
    press = _send_widget_state(kernel, button, subshell, pressed=True)
    seen.wait_for("idle for the press", lambda m: _is_idle(m, press))
    seen.wait_for("the loop seeing the press", lambda m: "pressed" in seen.stdout(cell))
    release = _send_widget_state(kernel, button, subshell, pressed=False)
    seen.wait_for("idle for the release", lambda m: _is_idle(m, release))
    seen.wait_for("the cell's end", lambda m: _is_idle(m, cell))
    assert kernel.get_shell_msg(timeout=10)["content"]["status"] == "ok"
    assert seen.stdout(cell) == "waiting\npressed\nreleased\n"


def test_a_slider_moved_in_the_browser_reaches_a_running_loop(kernel, pins):
    sliders = {i: s for i, s in _models(pins).items()
               if s["_model_name"] == "FloatSliderModel" and "otentiometer" in s["tooltip"]}
    assert len(sliders) == 1, "the pin view has one potentiometer slider"
    [(slider, state)] = sliders.items()
    gpio = int(re.search(r"GP(\d+)", state["tooltip"]).group(1))
    # The loop reads the knob until it was turned down and then up.
    cell = RunningCell(kernel, f"from machine import ADC, Pin\nimport time\nadc = ADC(Pin({gpio}))\n"
                               "low = False\n"
                               "for i in range(100):\n    v = adc.read_u16()\n    print(v)\n"
                               "    low = low or v < 5000\n    if low and v > 60000:\n        break\n"
                               "    time.sleep_ms(100)")
    _send_widget_state(kernel, slider, value=state["min"])
    cell.wait_for("the knob turned down to reach the running loop",
                  lambda: cell.ended or any(int(v) < 5000 for v in cell.stdout().split("\n")[:-1]))
    _send_widget_state(kernel, slider, value=state["max"])
    run = cell.finish()
    assert run.reply["status"] == "ok", run.reply
    values = [int(v) for v in run.stdout.split()]
    assert min(values) < 5000 and values[-1] > 60000, values


def test_a_new_board_gets_its_own_inputs(sim_connection):
    kernel = SimpleNamespace(connection=sim_connection, after_cell=[])
    view = PinView(kernel)
    view.update()
    old_button = view.inputs.children[0]
    other = Connection("sim://pico")
    try:
        kernel.connection = other          # %connect to another board
        view.update()
        new_button = view.inputs.children[0]
        assert new_button is not old_button and old_button.comm is None   # closed
        new_button.pressed = True
        wait_until(lambda: other.simulated.pins[14].level == 0, 2, "the new board's button pressed")
        assert other.simulated.pins[14].level == 0
        assert sim_connection.simulated.pins[14].external is None     # not the old board
        kernel.connection = None           # %disconnect
        view.update()
        assert view.inputs.children == () and "no board connected" in view.picture.value
    finally:
        other.close()


@pytest.mark.parametrize("url, led, led_pin, pins", [
    ("sim://pico", "'LED'", "GP25", "GP0"),
    ("sim://picow", "'LED'", "EXT_GPIO0", "GP0"),
    ("sim://esp32", "2", "GPIO2", "GPIO0"),        # the DevKit's LED has no name
])
def test_each_simulated_board_is_drawn_with_its_led(url, led, led_pin, pins):
    connection = Connection(url)
    try:
        connection.repl.exec(f"from machine import Pin\nPin({led}, Pin.OUT).on()")
        view = PinView(SimpleNamespace(connection=connection, after_cell=[]))
        view.update()
        assert view.layout.led_pin == led_pin
        assert f'data-pin="{pins}"' in view.picture.value
        assert 'data-pin="LED" data-led="on"' in view.picture.value
    finally:
        connection.close()
