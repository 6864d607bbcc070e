"""Tab completion, Shift-Tab inspection and is_complete, against a fake board
(a BoardNames that answers from dicts) and the installed micropython-rp2-stubs."""

import pytest

from boardlab.kernel import magic_board  # noqa: F401  (registers the magics)
from boardlab.kernel import stubs
from boardlab.kernel.completion import NameCache, complete, safe_expression
from boardlab.kernel.inspection import inspect, is_complete
from boardlab.kernel.magics import MAGICS


class FakeBoard:
    """A Pico whose globals hold machine, time, a Pin called led and a
    counter. It answers as MicroPython does: each name with its type's name.
    Its firmware has the modules machine and time (no ADCWiPy, no SDCard)."""

    port = "rp2"

    def __init__(self):
        self.busy = False
        self.asked = []
        machine = {"Pin": "type", "ADC": "type", "PWM": "type", "freq": "function",
                   "reset": "function", "PWRON_RESET": "int", "__name__": "str"}
        pin = {"IN": "int", "OUT": "int", "PULL_UP": "int", "PULL_DOWN": "int",
               "value": "function", "init": "function", "on": "function", "off": "function",
               "__class__": "type"}
        time = {"sleep": "function", "sleep_ms": "function", "sleep_us": "function",
                "ticks_ms": "function", "ticks_diff": "function"}
        self.firmware = {"machine": machine, "machine.Pin": pin, "time": time}
        self.objects = {
            None: {"machine": "module", "time": "module", "led": "Pin", "counter": "int",
                   "__name__": "str"},
            "machine": machine, "machine.Pin": pin, "time": time,
            "led": {"value": "bound_method", "on": "bound_method", "off": "bound_method",
                    "toggle": "bound_method", "init": "bound_method"},
        }
        self.files = {
            "": [("main.py", False), ("lib", True), ("data.csv", False), (".secret", False)],
            "lib": [("sensor.py", False), ("umqtt", True)],
            "lib/umqtt": [("__init__.py", False), ("simple.py", False)],
        }
        self.values = {"led": ("Pin", "Pin(GPIO25, mode=OUT)"), "counter": ("int", "3")}

    def forget_cells(self):
        """The board just started: nothing imported, no variables."""
        self.objects = {None: {"__name__": "str"}}

    def members(self, expr):
        self.asked.append(("members", expr))
        return None if self.busy else dict(self.objects.get(expr, {}))

    def module_members(self, expr):
        self.asked.append(("module_members", expr))
        return None if self.busy else dict(self.firmware.get(expr, {}))

    def listdir(self, path):
        self.asked.append(("listdir", path))
        return None if self.busy else list(self.files.get(path.rstrip("/"), []))

    def info(self, expr):
        self.asked.append(("info", expr))
        return None if self.busy else self.values.get(expr)


@pytest.fixture
def board():
    return FakeBoard()


def matches(code, board, cursor_pos=None):
    return complete(code, cursor_pos, board, MAGICS)["matches"]


# -- Tab: names from the board ------------------------------------------------------

def test_attributes_of_a_board_object_are_what_the_board_has(board):
    found = matches("machine.Pin.", board)
    assert {"OUT", "IN", "value", "init"} <= set(found)
    assert "__class__" not in found          # private names only when typed
    assert "ALT_PIO0" not in found           # in the stubs, but this board did not list it
    assert ("members", "machine.Pin") in board.asked


def test_reply_replaces_the_typed_part_only(board):
    reply = complete("x = machine.Pin.O", None, board, MAGICS)
    assert reply["matches"] == ["OUT"]
    assert (reply["cursor_start"], reply["cursor_end"]) == (16, 17)
    assert reply["status"] == "ok"


def test_cursor_in_the_middle_of_a_cell(board):
    code = "time.sl\nprint(1)\n"
    reply = complete(code, 7, board, MAGICS)
    assert reply["matches"] == ["sleep", "sleep_ms", "sleep_us"]
    assert reply["cursor_start"] == 5


def test_globals_builtins_keywords_and_the_cells_own_names(board):
    assert matches("le", board) == ["led", "len"]
    assert "counter" in matches("co", board)
    assert "continue" in matches("co", board)
    assert "total" in matches("total = 0\nto", board)
    assert "__name__" in matches("__n", board)


def test_only_dotted_names_are_evaluated_on_the_board(board):
    for code in ("sensor.read().", "items[0].", "x = f(1).va", "'abc'.", "1.", "print('machine.Pin."):
        assert matches(code, board) == []
    assert [a for a in board.asked if a[0] != "listdir" and a[1] is not None] == []
    assert safe_expression("machine.Pin")
    for unsafe in ("f()", "a[0]", "a.b()", "a + b", "", "x.if"):
        assert not safe_expression(unsafe)


def test_module_names_after_import_from_stubs_and_board_files(board):
    assert matches("import ti", board) == ["time"]
    assert "machine" in matches("import ", board)
    assert "sensor" in matches("import se", board)           # lib/sensor.py on the board
    assert "main" in matches("import ma", board)             # main.py at the root
    assert matches("from mach", board) == ["machine"]
    assert matches("import machine, ti", board) == ["time"]
    assert matches("import umqtt.", board) == ["simple"]     # lib/umqtt/simple.py
    assert "asm_pio" in matches("from rp2.", board)          # a submodule in the stubs


def test_names_after_from_import(board):
    assert matches("from machine import P", board) == ["Pin", "PWM", "PWRON_RESET"]
    assert "sleep_ms" in matches("from time import ticks_ms, sl", board)


# -- Tab while a cell runs: the cache and the stubs --------------------------------

def test_busy_board_completes_from_the_stubs(board):
    board.busy = True
    assert {"OUT", "IN", "PULL_UP", "value", "irq"} <= set(matches("machine.Pin.", board))
    assert matches("time.sleep_", board) == ["sleep_ms", "sleep_us"]
    assert "PULL_UP" in matches("from machine import Pin\nPin.P", board)
    assert "ADC" in matches("import machine as m\nm.A", board)
    assert "value" in matches("led = machine.Pin(25, machine.Pin.OUT)\nled.v", board)


def test_name_cache_answers_while_busy_and_asks_again_after_a_cell(board):
    cache = NameCache(board)
    assert cache.port == "rp2"
    assert "led" in matches("le", cache)
    board.objects[None]["level"] = "int"
    assert matches("le", cache) == ["led", "len"]            # cached: not asked again
    cache.invalidate()                                       # a cell ran
    board.busy = True
    assert matches("le", cache) == ["led", "len"]            # busy: the last answer
    board.busy = False
    assert matches("le", cache) == ["led", "len", "level"]   # asked again
    cache.clear()
    board.busy = True
    assert "led" not in matches("le", cache)


def test_a_module_the_board_has_not_imported_is_asked_of_its_firmware(board):
    board.forget_cells()                 # before any cell ran: no `machine` on the board
    reply = complete("machine.", None, board, MAGICS)
    assert reply["matches"] == ["ADC", "freq", "Pin", "PWM", "PWRON_RESET", "reset"]
    assert ("module_members", "machine") in board.asked
    assert matches("import machine\nmachine.Pi", board) == ["Pin"]    # typed, not run
    assert matches("from machine import P", board) == ["Pin", "PWM", "PWRON_RESET"]
    assert matches("led = machine.Pin(25)\nled.O", board) == ["OUT"]
    assert "value" in matches("from machine import Pin\nPin.", board)


def test_a_module_the_firmware_has_not_got_offers_nothing(board):
    assert "DHT11" in stubs.for_port("rp2").members("dht")      # the stubs know it
    assert matches("dht.", board) == []
    assert matches("import dht\ndht.D", board) == []


def test_modules_whose_import_does_something_are_never_imported(board):
    assert "webrepl_setup" in stubs.for_port("rp2").modules
    matches("webrepl_setup.", board)
    matches("import main\nmain.", board)
    assert not [a for a in board.asked if a[0] == "module_members"]


def test_no_board_at_all():
    assert "time" in matches("import ti", None)
    assert "sleep_ms" in matches("time.sleep_m", None)
    assert matches("%ls ", None) == []


# -- Tab in magics -------------------------------------------------------------------

def test_magic_names(board):
    assert matches("%con", board) == ["%connect"]
    assert "%disconnect" in matches("%", board)
    assert matches("%%ho", board) == ["%%host"]
    assert matches("x = 1\n%%ho", board) == []               # cell magics: first line only


def test_magic_options_come_from_the_parser(board):
    assert matches("%connect --n", board) == ["--no-soft-reset"]
    assert {"--baud", "--no-soft-reset", "--dtr", "--rts", "--wait"} <= set(matches("%connect --", board))
    assert "--baud" not in matches("%connect --baud 9600 --", board)
    assert matches("%connect --dtr ", board) == ["off", "on"]
    assert matches("%help con", board) == ["connect"]


def test_board_paths_in_file_magics(board):
    assert matches("%ls ", board) == ["data.csv", "lib/", "main.py"]
    assert matches("%cat ma", board) == ["main.py"]
    assert matches("%ls lib/", board) == ["lib/sensor.py", "lib/umqtt/"]
    assert matches("%ls .s", board) == [".secret"]
    reply = complete("%rm lib/se", None, board, MAGICS)
    assert reply["matches"] == ["lib/sensor.py"] and reply["cursor_start"] == 4


def test_put_completes_a_local_path_then_a_board_path(board, tmp_path, monkeypatch):
    (tmp_path / "blink.py").write_text("print(1)\n")
    monkeypatch.chdir(tmp_path)
    assert matches("%put bl", board) == ["blink.py"]
    assert matches("%put blink.py ma", board) == ["main.py"]
    assert matches("%get ma", board) == ["main.py"]


def test_file_magics_while_busy(board):
    board.busy = True
    assert matches("%ls ", board) == []
    cache = NameCache(board)
    board.busy = False
    matches("%ls ", cache)
    cache.invalidate()
    board.busy = True
    assert matches("%ls ", cache) == ["data.csv", "lib/", "main.py"]


def test_completion_types_metadata(board):
    reply = complete("%con", None, board, MAGICS)
    assert reply["metadata"]["_jupyter_types_experimental"][0]["type"] == "magic"
    reply = complete("import ti", None, board, MAGICS)
    assert reply["metadata"]["_jupyter_types_experimental"] == [
        {"start": 7, "end": 9, "text": "time", "type": "module"}]


def types(code, board):
    """{match: its Jupyter type} of the complete_reply."""
    reply = complete(code, None, board, MAGICS)
    listed = reply["metadata"]["_jupyter_types_experimental"]
    assert [entry["text"] for entry in listed] == reply["matches"]
    return {entry["text"]: entry["type"] for entry in listed}


def test_types_are_what_the_board_says(board):
    found = types("machine.", board)
    assert (found["Pin"], found["freq"], found["PWRON_RESET"]) == ("class", "function", "constant")
    assert types("led.t", board) == {"toggle": "function"}
    found = types("l", board)
    assert (found["led"], found["len"], found["list"], found["lambda"]) == \
        ("instance", "function", "class", "keyword")
    assert types("c", board)["counter"] == "instance"          # a variable, not a constant


def test_types_from_the_stubs_while_the_board_is_busy(board):
    board.busy = True
    found = types("machine.", board)
    assert (found["Pin"], found["freq"], found["PWRON_RESET"]) == ("class", "function", "constant")
    assert "statement" not in found.values()
    assert types("import ma", board) == {"machine": "module", "math": "module"}


def test_the_firmwares_modules_are_asked_once_until_a_reset(board):
    board.forget_cells()
    cache = NameCache(board)
    first = matches("machine.", cache)
    assert "ADCWiPy" not in first
    cache.invalidate()                                       # a cell ran
    board.asked.clear()
    assert matches("machine.", cache) == first
    assert ("module_members", "machine") not in board.asked  # its firmware is the same
    board.busy = True                                        # the next cell runs
    assert matches("machine.", cache) == first
    cache.clear()                                            # %softreset
    assert "ADCWiPy" in matches("machine.", cache)          # only the stubs are left
    board.busy = False
    assert matches("machine.", cache) == first               # asked again
    assert ("module_members", "machine") in board.asked


# -- Shift-Tab -----------------------------------------------------------------------

def plain(code, board, level=0, cursor_pos=None):
    reply = inspect(code, cursor_pos, level, board)
    assert reply["status"] == "ok"
    return reply["data"].get("text/plain", "") if reply["found"] else None


def test_inspect_a_class_call_shows_the_constructor(board):
    text = plain("machine.Pin(", board)
    assert "machine.Pin (class)" in text
    assert "Pin(id: Any, /, mode: int = -1, pull: int = -1" in text
    assert "control I/O pins" in text


def test_inspect_a_function_by_name_and_inside_its_call(board):
    for code in ("time.sleep_ms", "time.sleep_ms(", "time.sleep_ms(10, "):
        text = plain(code, board)
        assert "sleep_ms(ms: int, /) -> None" in text
        assert "Delay for given number of milliseconds" in text


def test_inspect_markdown_has_the_signature_in_a_code_block(board):
    reply = inspect("time.sleep_ms", None, 0, board)
    markdown = reply["data"]["text/markdown"]
    assert "```python\nsleep_ms(ms: int, /) -> None\n```" in markdown


def test_inspect_overloads_and_names_imported_in_the_cell(board):
    text = plain("from machine import Pin\np = Pin(2)\nPin.value", board)
    assert "value() -> int" in text and "value(x: Any, /) -> None" in text
    assert "machine.Pin.value" in text


def test_inspect_a_board_variable_shows_its_value_and_its_class(board):
    text = plain("led", board)
    assert "Pin(GPIO25, mode=OUT)" in text
    assert "machine.Pin (class)" in text
    text = plain("led.toggle", board)
    assert "machine.Pin.toggle" in text
    assert plain("counter", board).startswith("Type:      int\nValue:     3")


def test_inspect_level_1_is_longer_and_names_the_stubs(board):
    short = plain("machine.Pin", board, 0)
    full = plain("machine.Pin", board, 1)
    assert len(full) > len(short)
    assert "micropython-rp2-stubs" in full


def test_inspect_nothing_known(board):
    assert plain("nothing_here", board) is None
    assert plain("%connect", board) is None
    assert plain("x = f().y", board) is None


def test_inspect_while_busy_uses_the_stubs_only(board):
    board.busy = True
    assert "sleep_ms(ms: int, /)" in plain("time.sleep_ms(", board)
    assert plain("led", board) is None


# -- stubs for the board's port --------------------------------------------------------

def test_port_specific_names_are_left_out(tmp_path, monkeypatch):
    (tmp_path / "machine.pyi").write_text(
        '"""Hardware."""\n'
        "from _mpy_shed import mp_available\n"
        "class ADC:\n"
        '    """An ADC."""\n'
        "    def read_u16(self) -> int:\n"
        '        """Read."""\n'
        '    @mp_available(port="esp32")\n'
        "    def atten(self, atten: int) -> None: ...\n")
    (tmp_path / "umachine.pyi").write_text("from machine import *\n")
    monkeypatch.setenv("BOARDLAB_STUBS", str(tmp_path))
    stubs.for_port.cache_clear()
    try:
        assert set(stubs.for_port("rp2").members("machine.ADC")) == {"read_u16"}
        assert set(stubs.for_port("esp32").members("umachine.ADC")) == {"read_u16", "atten"}
        assert {"machine", "umachine"} <= stubs.for_port("rp2").modules
    finally:
        stubs.for_port.cache_clear()


def test_installed_stubs_know_the_core_api():
    api = stubs.for_port("rp2")
    assert "micropython-rp2-stubs" in api.source
    assert {"machine", "time", "micropython", "os", "sys", "rp2"} <= api.modules
    assert api.find_class("Pin") == "machine.Pin"
    assert api.describe("micropython.const").kind == "function"
    assert "atten" not in api.members("machine.ADC")          # esp32 only


# -- is_complete ---------------------------------------------------------------------

@pytest.mark.parametrize("code, status, indent", [
    ("x = 1", "complete", None),
    ("for i in range(3):", "incomplete", "    "),
    ("for i in range(3):\n    print(i)", "incomplete", "    "),
    ("for i in range(3):\n    print(i)\n", "complete", None),
    ("for i in range(3):\n    print(i)\n    ", "complete", None),
    ("def f():\n    if x:", "incomplete", "        "),
    ("if x:  # a comment", "incomplete", "    "),
    ("print(1,", "incomplete", ""),
    ('s = """text', "incomplete", ""),
    ("x = 1 + \\", "incomplete", ""),
    ("@micropython.native", "incomplete", ""),
    ("for i in range(3): print(i)", "complete", None),
    ("x = = 1", "invalid", None),
    ("1abc", "invalid", None),
    ("if x:\n    ", "invalid", None),
    ("", "complete", None),
    ("%connect sim://pico", "complete", None),
    ("%ls\nx = 1", "complete", None),
    ("%%host", "incomplete", ""),
    ("%%host\nimport os", "incomplete", ""),
    ("%%host\nimport os\n", "complete", None),
])
def test_is_complete_like_the_micropython_repl(code, status, indent):
    reply = is_complete(code)
    assert reply["status"] == status
    if indent is not None:
        assert reply["indent"] == indent


def test_install_stubs_puts_each_port_in_its_own_folder(tmp_path, monkeypatch):
    ran = []
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(stubs.subprocess, "run", lambda command, check: ran.append(command))
    folder = stubs.install_stubs("pyboard", python="python3")
    assert folder == tmp_path / "boardlab" / "stubs" / "stm32"
    assert ran == [["python3", "-m", "pip", "install", "--quiet", "--upgrade",
                    "--target", str(folder), "micropython-stm32-stubs"]]
