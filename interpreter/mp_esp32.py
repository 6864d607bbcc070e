"""`esp` and `esp32`, the ESP32 port's own modules, as far as a simulated
board can have them: flash size, the chip's temperature, wake-up settings.
Wi-Fi, Bluetooth, NVS and partitions are not simulated."""

import types


def make_esp(vm):
    definition = vm.board.definition
    module = types.ModuleType("esp")

    def flash_size():
        return definition.flash_bytes

    def osdebug(level, *args):
        return None

    module.__dict__.update(flash_size=flash_size, osdebug=osdebug,
                           LOG_NONE=0, LOG_ERROR=1, LOG_WARNING=2, LOG_INFO=3, LOG_DEBUG=4,
                           LOG_VERBOSE=5)
    return module


def make_esp32(vm):
    board = vm.board
    module = types.ModuleType("esp32")

    def raw_temperature():
        """The die's temperature in degrees Fahrenheit (an uncalibrated reading
        that runs well above the air's)."""
        air = board.parts.get("temperature")
        celsius = (air.value if air is not None else 25.0) + 20.0
        return round(celsius * 9 / 5 + 32 + board.noise.gauss(0, 0.5))

    def wake_on_touch(wake):
        return None

    def wake_on_ext0(pin, level):
        return None

    def wake_on_ext1(pins, level):
        return None

    module.__dict__.update(raw_temperature=raw_temperature, wake_on_touch=wake_on_touch,
                           wake_on_ext0=wake_on_ext0, wake_on_ext1=wake_on_ext1,
                           WAKEUP_ALL_LOW=False, WAKEUP_ANY_HIGH=True)
    return module
