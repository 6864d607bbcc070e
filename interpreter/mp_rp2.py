"""`rp2`, the RP2040-specific module. Minimal for now: PIO and StateMachine
come with the peripherals."""

import types


def make_module(vm):
    module = types.ModuleType("rp2")

    def bootsel_button():
        return 0    # nobody is pressing the BOOTSEL button of a simulated board

    def country(code=None):
        return None

    module.__dict__.update(bootsel_button=bootsel_button, country=country)
    return module
