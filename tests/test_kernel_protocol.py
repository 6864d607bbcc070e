"""Every message the kernel sends, validated against the Jupyter protocol's
schema by jupyter_kernel_test, on the simulated Pico."""

import jupyter_kernel_test
import pytest


@pytest.mark.usefixtures("kernelspec")
class BoardLabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "boardlab"
    language_name = "micropython"
    file_extension = ".py"

    code_hello_world = "print('hello, world')"
    code_generate_error = "raise ValueError('broken on purpose')"
    code_execute_result = [{"code": "6 * 7", "result": "42"},
                           {"code": "'pin' + str(25)", "result": "'pin25'"}]
    code_inspect_sample = "machine.Pin"
    # %%host cells are IPython's (the widgets of %pins open comms, which the
    # schema jupyter_kernel_test checks against does not have).
    code_display_data = [{"code": "%%host\nfrom IPython.display import HTML, display\n"
                                  "display(HTML('<b>pin 25</b>'))", "mime": "text/html"}]
    code_stderr = "%%host\nimport sys\nprint('to stderr', file=sys.stderr)"
    code_clear_output = "%%host\nfrom IPython.display import clear_output\nclear_output()"
    code_page_something = "%%host\nprint?"
    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "6 *?"

    completion_samples = [
        {"text": "%lsma", "matches": {"%lsmagic"}},
        {"text": "%conn", "matches": {"%connect"}},
    ]
    complete_code_samples = ["x = 1", "print('done')", "for i in range(3):\n    pass\n"]
    incomplete_code_samples = ["for i in range(3):", "def f(x):"]
