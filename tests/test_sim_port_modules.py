"""Each board's own modules, as its port builds them: rp2 (and what it says
of the PIO the simulated board does not model), esp32 and esp, network on
the Pico W and the ESP32 with no access point in range, and the module
list help('modules') gives."""

import pytest

from boardlab.interpreter.testing import enter_raw, read_until
from conftest import board_fixture, board_in_raw_repl, run, error

BANNER_END = b'Type "help()" for more information.\r\n>>> '


@pytest.fixture(params=["pico", "picow", "esp32"])
def board(request):
    """Each board on virtual time, in the raw REPL; link.name is the board's."""
    with board_in_raw_repl(f"sim://{request.param}?time=virtual") as link:
        link.name = request.param
        yield link


pico = board_fixture("sim://pico?time=virtual")
# picow, esp32: conftest's (each board on virtual time, in the raw REPL).


# ---- help('modules') ------------------------------------------------------------

# What each real firmware lists (v1.28.0: the port's mpconfigport.h, its
# board's manifest and micropython-lib's packages it freezes).
REAL_MODULES = {
    "pico": {
        "__main__", "_asyncio", "_boot", "_boot_fat", "_onewire", "_rp2", "_thread", "array",
        "asyncio/__init__", "asyncio/core", "asyncio/event", "asyncio/funcs", "asyncio/lock",
        "asyncio/stream", "binascii", "builtins", "cmath", "collections", "cryptolib", "deflate",
        "dht", "ds18x20", "errno", "framebuf", "gc", "hashlib", "heapq", "io", "json", "machine",
        "math", "micropython", "neopixel", "onewire", "os", "platform", "random", "re", "rp2",
        "select", "struct", "sys", "time", "uasyncio", "uctypes", "vfs",
    },
}
REAL_MODULES["picow"] = REAL_MODULES["pico"] | {
    "aioble/__init__", "aioble/central", "aioble/client", "aioble/core", "aioble/device",
    "aioble/l2cap", "aioble/peripheral", "aioble/security", "aioble/server", "bluetooth",
    "lwip", "mip/__init__", "network", "ntptime", "requests/__init__", "socket", "ssl", "tls",
    "urequests", "webrepl", "webrepl_setup", "websocket", "_webrepl",
}
REAL_MODULES["esp32"] = (REAL_MODULES["pico"] - {"_boot_fat", "_rp2", "rp2"}) | {
    "_espnow", "aioespnow", "apa106", "bluetooth", "esp", "esp32", "espnow", "flashbdev",
    "inisetup", "mip/__init__", "network", "ntptime", "requests/__init__", "socket", "ssl",
    "tls", "umqtt/robust", "umqtt/simple", "upysh", "urequests", "webrepl", "webrepl_setup",
    "websocket", "_webrepl",
}
# What the simulated board leaves out: the radio's sockets and Bluetooth
# (no network stack), threads, FAT, the TLS library's ciphers, and so what
# needs them.
MODELLED = {
    "pico": REAL_MODULES["pico"] - {"_boot_fat", "_onewire", "_thread", "cryptolib"},
}
MODELLED["picow"] = MODELLED["pico"] | {"network"}
MODELLED["esp32"] = (MODELLED["pico"] - {"_rp2", "rp2"}) | {
    "apa106", "esp", "esp32", "flashbdev", "inisetup", "network", "upysh"}


def test_help_modules_lists_what_the_real_firmware_has(board):
    text = run(board, "help('modules')")
    assert text.endswith("Plus any modules on the filesystem")
    listed = set(" ".join(text.splitlines()[:-1]).split())
    assert listed <= REAL_MODULES[board.name], listed - REAL_MODULES[board.name]
    assert MODELLED[board.name] <= listed, MODELLED[board.name] - listed


def test_only_the_pico_w_and_the_esp32_have_network(board):
    has = run(board, "try:\n    import network\n    print('yes')\nexcept ImportError as e:\n    print(e)")
    assert has == ("no module named 'network'" if board.name == "pico" else "yes")


# ---- rp2 -------------------------------------------------------------------------------

def test_rp2_module(pico):
    assert run(pico, "import rp2\nprint(rp2.Flash(), rp2.bootsel_button(), rp2.Flash().ioctl(4, 0))") == \
        "<Flash> 0 352"


@pytest.mark.parametrize("name, block", [
    ("PIO", "PIO"), ("StateMachine", "PIO"), ("asm_pio", "PIO"), ("DMA", "DMA")])
def test_rp2_says_it_does_not_model_pio_and_dma(pico, name, block):
    message = f"AttributeError: rp2.{name}: the simulated board does not model the RP2040's {block}"
    assert error(pico, f"import rp2\nrp2.{name}") == message
    assert error(pico, f"from rp2 import {name}") == message


def test_rp2_has_no_other_names(pico):
    assert error(pico, "import rp2\nrp2.nothing") == "AttributeError: 'module' object has no attribute 'nothing'"
    assert error(pico, "import rp2\nrp2.country") == "AttributeError: 'module' object has no attribute 'country'"


# ---- esp32 and esp ----------------------------------------------------------------------

def test_esp32_nvs_keeps_values_through_a_reset(esp32):
    out = run(esp32, "import esp32\nn = esp32.NVS('app')\nn.set_i32('boots', 7)\nn.set_blob('name', b'sim')\n"
                     "n.commit()\nprint(n, n.get_i32('boots'))")
    assert out == "<NVS namespace> 7"
    esp32.write(b"import machine\nmachine.reset()\x04")
    read_until(esp32, BANNER_END)
    enter_raw(esp32)
    assert run(esp32, "import esp32\nn = esp32.NVS('app')\nb = bytearray(8)\nprint(n.get_i32('boots'), "
                      "n.get_blob('name', b), b)") == "7 3 bytearray(b'sim\\x00\\x00\\x00\\x00\\x00')"
    assert error(esp32, "n.get_i32('name')") == "OSError: (-4354, 'ESP_ERR_NVS_NOT_FOUND')"
    assert error(esp32, "n.get_blob('name', bytearray(2))") == "OSError: (-4364, 'ESP_ERR_NVS_INVALID_LENGTH')"
    assert error(esp32, "n.set_i32('a_key_much_too_long', 1)") == "OSError: (-4361, 'ESP_ERR_NVS_KEY_TOO_LONG')"
    run(esp32, "n.erase_key('boots')")
    assert error(esp32, "n.erase_key('boots')") == "OSError: (-4354, 'ESP_ERR_NVS_NOT_FOUND')"


def test_esp32_wake_sources(esp32):
    run(esp32, "import esp32\nfrom machine import Pin\nesp32.wake_on_ext0(Pin(4), esp32.WAKEUP_ALL_LOW)\n"
               "esp32.wake_on_ext1([Pin(32), Pin(33)], esp32.WAKEUP_ANY_HIGH)")
    assert error(esp32, "esp32.wake_on_ext0(Pin(5), 0)") == "ValueError: invalid pin"
    assert error(esp32, "esp32.wake_on_touch(True)") == "ValueError: no resources"
    assert run(esp32, "print(esp32.WAKEUP_ALL_LOW, esp32.WAKEUP_ANY_HIGH, hasattr(esp32, 'mcu_temperature'))") == \
        "False True False"


def test_esp_flash(esp32):
    out = run(esp32, "import esp\nb = bytearray(4)\nesp.flash_read(0x1000, b)\nprint(esp.flash_size(), "
                     "hex(esp.flash_user_start()), b)")
    assert out == "4194304 0x200000 bytearray(b'\\xff\\xff\\xff\\xff')"
    assert error(esp32, "esp.flash_read(4 * 1024 * 1024, b)") == "OSError: [Errno 5] EIO"
    assert run(esp32, "import flashbdev\nprint(flashbdev.bdev)") == \
        "<Partition type=1, subtype=130, address=2097152, size=2097152, label=vfs, encrypted=0>"


# ---- network ------------------------------------------------------------------------------

def test_picow_wlan_finds_no_access_point(picow):
    out = run(picow, "import network, time\nw = network.WLAN(network.STA_IF)\nprint(w, w.active(), w.status())")
    assert out == "<CYW43 STA down 0.0.0.0> False 0"
    assert error(picow, "w.connect('home', 'secret')") == "OSError: [Errno 1] EPERM"
    assert error(picow, "w.scan()") == "OSError: [Errno 1] EPERM"
    out = run(picow, "w.active(True)\nt = time.ticks_ms()\nprint(w.scan(), time.ticks_diff(time.ticks_ms(), t) >= 1000)\n"
                     "print(w.ifconfig())\nw.connect('home', 'secret')\nprint(w.status() == network.STAT_CONNECTING, w)")
    assert out == "[] True\n('0.0.0.0', '255.255.255.0', '192.168.0.1', '8.8.8.8')\nTrue <CYW43 STA join 0.0.0.0>"
    out = run(picow, "for i in range(20):\n    if w.status() != network.STAT_CONNECTING:\n        break\n"
                     "    time.sleep(1)\nprint(w.status() == network.STAT_NO_AP_FOUND, w.status(), w.isconnected(), w)")
    assert out == "True -2 False <CYW43 STA nonet 0.0.0.0>"
    mac = picow.board.unique_id[5:]
    assert run(picow, "print(w.config('mac').hex())") == "28cdc1" + mac.hex()
    assert run(picow, "print(network.hostname(), network.country(), network.WLAN, network.WLAN(network.AP_IF))") == \
        "PicoW XX <class 'CYW43'> <CYW43 AP down 0.0.0.0>"
    assert error(picow, "w.config('nothing')") == "ValueError: unknown config param"
    assert run(picow, "import rp2\nprint(rp2.country())") == "XX"


def test_esp32_wlan_finds_no_access_point(esp32):
    out = run(esp32, "import network, time\nw = network.WLAN(network.STA_IF)\nprint(w, w.active(), w.status())")
    assert out == "<WLAN> False 1000"
    assert error(esp32, "w.connect('home', 'secret')") == "OSError: Wifi Not Started"
    assert error(esp32, "w.scan()") == "OSError: STA must be active"
    out = run(esp32, "print(w.active(True), w.scan(), w.ifconfig())\nw.connect('home', 'secret')\n"
                     "print(w.status() == network.STAT_CONNECTING)\ntime.sleep(5)\n"
                     "print(w.status() == network.STAT_NO_AP_FOUND, w.isconnected(), w.config('ssid'))")
    assert out == "True [] ('0.0.0.0', '0.0.0.0', '0.0.0.0', '0.0.0.0')\nTrue\nTrue False home"
    mac = run(esp32, "import machine\nprint(machine.unique_id().hex(), w.config('mac').hex(), "
                     "network.WLAN(network.AP_IF).config('mac').hex())").split()
    # the base MAC in eFuse (an Espressif OUI) is the station's; the access point's is the next
    sta, ap = bytes.fromhex(mac[1]), bytes.fromhex(mac[2])
    assert mac[0] == mac[1] and mac[0].startswith("240ac4")
    assert ap[:5] == sta[:5] and ap[5] == (sta[5] + 1) & 0xFF
    assert run(esp32, "print(network.hostname(), w.config('reconnects'))\nw.disconnect()\nprint(w.status())") == \
        "mpy-esp32 -1\n1000"
    assert error(esp32, "network.WLAN(2)") == "ValueError: invalid WLAN interface identifier"
    assert error(esp32, "w.config(ssid='x')") == "OSError: AP required"
