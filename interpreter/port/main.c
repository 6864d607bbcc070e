// The simulated board's firmware: MicroPython's own main loop, as on a real
// board (ports/rp2/main.c): soft reset, _boot.py (the filesystem), boot.py,
// main.py in the friendly REPL, then the REPL until the next soft reset.
#include <string.h>

#include "py/compile.h"
#include "py/cstack.h"
#include "py/gc.h"
#include "py/mperrno.h"
#include "py/mphal.h"
#include "py/runtime.h"
#include "py/stackctrl.h"
#include "shared/readline/readline.h"
#include "shared/runtime/pyexec.h"
#include "extmod/vfs.h"

#include "host.h"
#include "board_machine.h"

// The C stack is wasm's shadow stack in linear memory (its size is the
// linker's -z stack-size); Python may use as much of it as stands for the
// board's C stack (MICROPY_BOARD_C_STACK_LIMIT, see README.md). The GC heap
// is a static array of the board's size.
#if MICROPY_BOARD_C_STACK_LIMIT + MICROPY_STACK_CHECK_MARGIN > BOARD_STACK_SIZE / 2
#error "the shadow stack must be well larger than the board's C stack limit"
#endif
static char heap[MICROPY_BOARD_HEAP_BYTES] __attribute__((aligned(16)));

__attribute__((export_name("board_main")))
void board_main(void) {
    volatile int stack_top;
    mp_cstack_init_with_top((void *)&stack_top, MICROPY_BOARD_C_STACK_LIMIT + MICROPY_STACK_CHECK_MARGIN);
    gc_init(heap, heap + sizeof(heap));

    for (;;) {
        mp_init();
        // sys.path as on the board: '', '.frozen', then the flash's /lib.
        mp_obj_list_append(mp_sys_path, MP_OBJ_NEW_QSTR(MP_QSTR__slash_lib));
        readline_init0();

        #if MICROPY_MODULE_FROZEN_MPY
        pyexec_frozen_module("_boot.py", false);
        #endif

        int ret = pyexec_file_if_exists("boot.py");
        if (ret & PYEXEC_FORCED_EXIT) {
            goto soft_reset_exit;
        }
        if (pyexec_mode_kind == PYEXEC_MODE_FRIENDLY_REPL && ret != 0) {
            ret = pyexec_file_if_exists("main.py");
            if (ret & PYEXEC_FORCED_EXIT) {
                goto soft_reset_exit;
            }
        }
        for (;;) {
            if (pyexec_mode_kind == PYEXEC_MODE_RAW_REPL) {
                if (pyexec_raw_repl() != 0) {
                    break;
                }
            } else {
                if (pyexec_friendly_repl() != 0) {
                    break;
                }
            }
        }

    soft_reset_exit:
        mp_printf(MP_PYTHON_PRINTER, "MPY: soft reboot\n");
        board_machine_deinit();
        host_soft_reset();
        gc_sweep_all();
        mp_deinit();
    }
}

// Roots on the C stack. wasm keeps a function's locals and its operand stack
// outside linear memory, where no scan can see them; the build (see
// scripts/build-firmware) makes every value live across a call sit in a
// local and spills those locals to the shadow stack before each call, so
// scanning the shadow stack from here to its top finds every root.
void gc_collect(void) {
    volatile void *here = NULL;
    gc_collect_start();
    char *top = (char *)MP_STATE_THREAD(stack_top);
    gc_collect_root((void **)&here, ((uintptr_t)top - (uintptr_t)&here) / sizeof(void *));
    gc_collect_end();
}

// An exception with no handler (the REPL itself could not allocate): each
// port's words, then the chip stops. A Pico would hang there until its
// reset, an ESP32 restarts; the host reboots the simulated board.
void nlr_jump_fail(void *val) {
    #if MICROPY_BOARD_ESP32
    mp_printf(&mp_plat_print, "NLR jump failed, val=%p\n", val);
    #else
    mp_printf(&mp_plat_print, "FATAL: uncaught exception %p\n", val);
    #endif
    board_flush_stdout();
    static const char msg[] = "FATAL: uncaught NLR";
    host_fatal(msg, sizeof(msg) - 1);
}

void MP_NORETURN __fatal_error(const char *msg) {
    board_flush_stdout();
    host_fatal(msg, strlen(msg));
}

#ifndef NDEBUG
void MP_WEAK __assert_func(const char *file, int line, const char *func, const char *expr) {
    mp_printf(MP_PYTHON_PRINTER, "Assertion '%s' failed, at file %s:%d\n", expr, file, line);
    __fatal_error("Assertion failed");
}
#endif
