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
    supported_history_operations = ("tail", "search")
    code_history_pattern = "6 *?"

    completion_samples = [
        {"text": "%lsma", "matches": {"%lsmagic"}},
        {"text": "%conn", "matches": {"%connect"}},
    ]
    complete_code_samples = ["x = 1", "print('done')", "for i in range(3):\n    pass\n"]
    incomplete_code_samples = ["for i in range(3):", "def f(x):"]
