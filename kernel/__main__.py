"""`python -m boardlab.kernel -f CONNECTION_FILE`: what the kernelspec runs."""

from ipykernel.kernelapp import IPKernelApp

from boardlab.kernel.kernel import BoardKernel

if __name__ == "__main__":
    IPKernelApp.launch_instance(kernel_class=BoardKernel)
