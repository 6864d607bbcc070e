// machine.WDT's port half (MICROPY_PY_MACHINE_WDT_INCLUDEFILE, included by
// extmod/machine_wdt.c): the RP2040's hardware watchdog, the ESP32's task
// watchdog. The host counts the timeout on the board's clock; when it runs
// out the chip resets, and machine.reset_cause() is WDT_RESET. Nothing
// feeds it but WDT.feed(): not a sleep, not the REPL, not a soft reset.
#include "host.h"

#if MICROPY_BOARD_RP2
// The RP2040's counter: 0xffffff ticks of 2 per microsecond (erratum RP2040-E1).
#define WDT_TIMEOUT_MAX 8388
#endif

struct _machine_wdt_obj_t {
    mp_obj_base_t base;
};

static const machine_wdt_obj_t machine_wdt = {{&machine_wdt_type}};

static machine_wdt_obj_t *mp_machine_wdt_make_new_instance(mp_int_t id, mp_int_t timeout_ms) {
    #if MICROPY_BOARD_RP2
    if (id != 0) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("WDT(%d) doesn't exist"), id);
    }
    if ((uint32_t)timeout_ms > WDT_TIMEOUT_MAX) {
        mp_raise_ValueError(MP_ERROR_TEXT("timeout exceeds " MP_STRINGIFY(WDT_TIMEOUT_MAX)));
    }
    #else
    if (id != 0) {
        mp_raise_ValueError(NULL);
    }
    if (timeout_ms <= 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("WDT timeout too short"));
    }
    #endif
    host_wdt_start(timeout_ms);
    return (machine_wdt_obj_t *)&machine_wdt;
}

static void mp_machine_wdt_feed(machine_wdt_obj_t *self) {
    (void)self;
    host_wdt_feed();
}
