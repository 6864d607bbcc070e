"""The `micropython` module: const, kbd_intr, memory reports, schedule (on
the board's scheduler), and the code emitter decorators (native/viper run as
plain Python here: mpy-cross has checked they compile for the board)."""

import types


def const(value):
    return value


def _emitter(function):
    return function


def make_module(vm):
    board = vm.board
    module = types.ModuleType("micropython")
    state = {"opt": 0}

    def opt_level(level=None):
        if level is None:
            return state["opt"]
        state["opt"] = level

    def kbd_intr(char):
        vm.kbd_intr_char = char
        board.console.set_interrupt_char(char)

    def mem_info(verbose=None):
        heap = vm.heap.size
        used = vm.heap.used()
        board.write_text(
            "stack: 532 out of 7936\n"
            f"GC: total: {heap}, used: {used}, free: {heap - used}\n"
            f" No. of 1-blocks: {used // 64}, 2-blocks: {used // 256}, max blk sz: 64, "
            f"max free sz: {(heap - used) // 16}\n")

    def qstr_info(verbose=None):
        board.write_text("qstr pool: n_pool=1, n_qstr=0, n_str_data_bytes=0, n_total_bytes=0\n")

    def stack_use():
        return 532

    def heap_lock():
        vm.heap.locked += 1
        return vm.heap.locked - 1

    def heap_unlock():
        vm.heap.locked = max(0, vm.heap.locked - 1)
        return vm.heap.locked

    def heap_locked():
        return vm.heap.locked

    def alloc_emergency_exception_buf(size):
        return None

    def schedule(function, arg):
        # Firmware runs it "soon": between bytecodes of the main code, or at
        # the next sleep; here too (scheduler.py).
        if not callable(function):
            raise TypeError("'%s' object isn't callable" % type(function).__name__)
        if not board.scheduler.schedule(function, arg):
            raise RuntimeError("schedule queue full")

    module.__dict__.update(
        const=const, opt_level=opt_level, kbd_intr=kbd_intr, mem_info=mem_info,
        qstr_info=qstr_info, stack_use=stack_use, heap_lock=heap_lock,
        heap_unlock=heap_unlock, heap_locked=heap_locked,
        alloc_emergency_exception_buf=alloc_emergency_exception_buf, schedule=schedule,
        native=_emitter, viper=_emitter, asm_thumb=_emitter,
    )
    return module
