"""`fault://`: the simulated board behind the faults real boards and cables have.

pyserial finds the handler as `faultlink.protocol_fault` once "faultlink" is in
`serial.protocol_handler_packages`: the `fault_links` fixture adds it in the test
process; a kernel process gets it from BOARDLAB_URL_HANDLERS=faultlink with the
tests folder on PYTHONPATH (see `kernel_environment`).
"""

import os

import serial

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def register():
    from boardlab.transport.link import register_url_handlers
    register_url_handlers()  # sim://, which fault:// opens underneath
    if __name__ not in serial.protocol_handler_packages:
        serial.protocol_handler_packages.append(__name__)


def kernel_environment():
    """Environment for a kernel process that must open fault:// URLs."""
    path = os.environ.get("PYTHONPATH")
    return {
        "BOARDLAB_URL_HANDLERS": __name__,
        "PYTHONPATH": TESTS + (os.pathsep + path if path else ""),
    }
