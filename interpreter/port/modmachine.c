// The machine module's port half (MICROPY_PY_MACHINE_INCLUDEFILE, included
// by extmod/modmachine.c): the classes this board has, its reset causes,
// and the low-level functions extmod asks a port for.
#include "py/mphal.h"
#include "machine_pin.h"
#include "host.h"

#if MICROPY_BOARD_RP2
// ports/rp2: machine.reset() reboots through the watchdog.
#define BOARD_RESET_PWRON (1)
#define BOARD_RESET_WDT (3)
#define BOARD_RESET_CAUSE_CONSTANTS \
    { MP_ROM_QSTR(MP_QSTR_PWRON_RESET), MP_ROM_INT(BOARD_RESET_PWRON) }, \
    { MP_ROM_QSTR(MP_QSTR_WDT_RESET), MP_ROM_INT(BOARD_RESET_WDT) },
#endif

#if MICROPY_BOARD_ESP32
// ports/esp32's reset causes (machine.reset() is a HARD_RESET there).
#define BOARD_RESET_PWRON (1)
#define BOARD_RESET_HARD (2)
#define BOARD_RESET_WDT (3)
#define BOARD_RESET_DEEPSLEEP (4)
#define BOARD_RESET_SOFT (5)
#define BOARD_RESET_CAUSE_CONSTANTS \
    { MP_ROM_QSTR(MP_QSTR_PWRON_RESET), MP_ROM_INT(BOARD_RESET_PWRON) }, \
    { MP_ROM_QSTR(MP_QSTR_HARD_RESET), MP_ROM_INT(BOARD_RESET_HARD) }, \
    { MP_ROM_QSTR(MP_QSTR_WDT_RESET), MP_ROM_INT(BOARD_RESET_WDT) }, \
    { MP_ROM_QSTR(MP_QSTR_DEEPSLEEP_RESET), MP_ROM_INT(BOARD_RESET_DEEPSLEEP) }, \
    { MP_ROM_QSTR(MP_QSTR_SOFT_RESET), MP_ROM_INT(BOARD_RESET_SOFT) },
#endif

extern const mp_obj_type_t mp_machine_soft_i2c_type;

#define MICROPY_PY_MACHINE_EXTRA_GLOBALS \
    { MP_ROM_QSTR(MP_QSTR_Pin), MP_ROM_PTR(&machine_pin_type) }, \
    { MP_ROM_QSTR(MP_QSTR_SoftI2C), MP_ROM_PTR(&mp_machine_soft_i2c_type) }, \
    BOARD_RESET_CAUSE_CONSTANTS

static mp_obj_t mp_machine_unique_id(void) {
    uint8_t id[8];
    host_unique_id(id);
    return mp_obj_new_bytes(id, sizeof(id));
}

MP_NORETURN static void mp_machine_reset(void) {
    host_reset(0);
    __builtin_trap();
}

static mp_int_t mp_machine_reset_cause(void) {
    switch (host_reset_cause()) {
        #if MICROPY_BOARD_RP2
        case RESET_CAUSE_HARD:
        case RESET_CAUSE_WATCHDOG:
            return BOARD_RESET_WDT;
        #endif
        #if MICROPY_BOARD_ESP32
        case RESET_CAUSE_HARD:
            return BOARD_RESET_HARD;
        case RESET_CAUSE_WATCHDOG:
            return BOARD_RESET_WDT;
        case RESET_CAUSE_DEEPSLEEP:
            return BOARD_RESET_DEEPSLEEP;
        #endif
        default:
            return BOARD_RESET_PWRON;
    }
}

MP_NORETURN void mp_machine_bootloader(size_t n_args, const mp_obj_t *args) {
    host_reset(0);
    __builtin_trap();
}

static mp_int_t board_cpu_freq = MICROPY_BOARD_CPU_FREQ;

static mp_obj_t mp_machine_get_freq(void) {
    return MP_OBJ_NEW_SMALL_INT(board_cpu_freq);
}

static void mp_machine_set_freq(size_t n_args, const mp_obj_t *args) {
    board_cpu_freq = mp_obj_get_int(args[0]);
}

static void mp_machine_idle(void) {
    MICROPY_INTERNAL_WFE(1);
}

static void mp_machine_lightsleep(size_t n_args, const mp_obj_t *args) {
    if (n_args == 0) {
        mp_event_wait_indefinite();
    } else {
        mp_hal_delay_ms(mp_obj_get_int(args[0]));
    }
}

MP_NORETURN static void mp_machine_deepsleep(size_t n_args, const mp_obj_t *args) {
    if (n_args > 0) {
        mp_hal_delay_ms(mp_obj_get_int(args[0]));
    }
    host_reset(1);
    __builtin_trap();
}
