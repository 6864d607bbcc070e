// machine.Pin, as ports/rp2/machine_pin.c and ports/esp32/machine_pin.c
// present it: the same constructor and methods, constants, reprs and errors,
// on the host's GPIO bank (host.h). What the two ports do differently is
// under MICROPY_BOARD_RP2 and MICROPY_BOARD_ESP32.
//
// A pin's configuration lives in the host (interpreter/gpio.py), where the
// kernel's pin view reads it; the firmware asks it back (pin_settings) for a
// repr or a toggle, so a pin that another class configured (PWM, UART)
// prints what it is.
//
// IRQs: the host posts an EVENT_PIN_IRQ for an edge on an armed pin, and
// machine_pin_irq_event() dispatches it. On the rp2 that is extmod's mpirq
// (soft handlers scheduled, hard ones run at once with the heap locked); the
// ESP32 port has its own IRQ object and always schedules.
#include <string.h>

#include "py/runtime.h"
#include "py/mphal.h"
#include "extmod/modmachine.h"
#include "extmod/virtpin.h"
#include "shared/runtime/mpirq.h"
#include "machine_pin.h"

// The host's edges (host.h: EVENT_PIN_IRQ's b, pin_irq's edges).
#define EDGE_RISE (1)
#define EDGE_FALL (2)

#define BOARD_PIN_COUNT (MICROPY_BOARD_GPIO_COUNT + MICROPY_BOARD_EXT_GPIO_COUNT)

typedef struct _machine_pin_obj_t {
    mp_obj_base_t base;
    uint8_t id;
    #if MICROPY_BOARD_RP2
    qstr_short_t name;
    #endif
} machine_pin_obj_t;

#define GPIOS_0_29(X) \
    X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) \
    X(15) X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23) X(24) X(25) X(26) X(27) X(28) X(29)
#define GPIOS_30_39(X) \
    X(30) X(31) X(32) X(33) X(34) X(35) X(36) X(37) X(38) X(39)

static void machine_pin_take_irqs(int answer);

/******************************************************************************/
// The rp2 port's pins: GPIO0-29, named "GPIOn" (Pin.cpu), the board's names
// (Pin.board), and on the Pico W the wireless chip's EXT_GPIO0-2 after them.

#if MICROPY_BOARD_RP2

#define MACHINE_PIN_MODE_IN (0)
#define MACHINE_PIN_MODE_OUT (1)
#define MACHINE_PIN_MODE_OPEN_DRAIN (2)
#define MACHINE_PIN_MODE_ALT (3)
#define GPIO_PULL_UP (1)
#define GPIO_PULL_DOWN (2)
// The Pico SDK's interrupt events: a mask, as irq()'s trigger and flags.
#define GPIO_IRQ_EDGE_FALL (4)
#define GPIO_IRQ_EDGE_RISE (8)

// The RP2040's pin functions (the Pico SDK's GPIO_FUNC_*). Every GPIO has
// each of them but GPCK, which only GPIO20-25 have, and XIP (0), which none
// offers (ports/rp2/boards/rp2040_af.csv).
enum {
    GPIO_FUNC_SPI = 1, GPIO_FUNC_UART, GPIO_FUNC_I2C, GPIO_FUNC_PWM, GPIO_FUNC_SIO,
    GPIO_FUNC_PIO0, GPIO_FUNC_PIO1, GPIO_FUNC_GPCK, GPIO_FUNC_USB,
};
static const char *const gpio_func_names[] = {
    [GPIO_FUNC_SPI] = "SPI", [GPIO_FUNC_UART] = "UART", [GPIO_FUNC_I2C] = "I2C",
    [GPIO_FUNC_PWM] = "PWM", [GPIO_FUNC_SIO] = "SIO", [GPIO_FUNC_PIO0] = "PIO0",
    [GPIO_FUNC_PIO1] = "PIO1", [GPIO_FUNC_GPCK] = "GPCK", [GPIO_FUNC_USB] = "USB",
};

static bool gpio_has_func(int id, mp_int_t func) {
    if (func == GPIO_FUNC_GPCK) {
        return 20 <= id && id <= 25;
    }
    return GPIO_FUNC_SPI <= func && func <= GPIO_FUNC_USB;
}

#define CPU_PIN(n) { { &machine_pin_type }, n, MP_QSTR_GPIO##n },
#define EXT_PIN(n) { { &machine_pin_type }, MICROPY_BOARD_GPIO_COUNT + n, MP_QSTR_EXT_GPIO##n },

static const machine_pin_obj_t machine_pin_obj_table[BOARD_PIN_COUNT] = {
    GPIOS_0_29(CPU_PIN)
    #if MICROPY_BOARD_EXT_GPIO_COUNT
    EXT_PIN(0) EXT_PIN(1) EXT_PIN(2)
    #endif
};
#if MICROPY_BOARD_EXT_GPIO_COUNT && MICROPY_BOARD_EXT_GPIO_COUNT != 3
#error "the table above has the Pico W's three wireless chip GPIOs"
#endif

#define CPU_NAME(n) { MP_ROM_QSTR(MP_QSTR_GPIO##n), MP_ROM_PTR(&machine_pin_obj_table[n]) },
#define EXT_NAME(n) { MP_ROM_QSTR(MP_QSTR_EXT_GPIO##n), MP_ROM_PTR(&machine_pin_obj_table[MICROPY_BOARD_GPIO_COUNT + n]) },
static const mp_rom_map_elem_t machine_pin_cpu_pins_locals_dict_table[] = {
    GPIOS_0_29(CPU_NAME)
    #if MICROPY_BOARD_EXT_GPIO_COUNT
    EXT_NAME(0) EXT_NAME(1) EXT_NAME(2)
    #endif
};
static MP_DEFINE_CONST_DICT(machine_pin_cpu_pins_locals_dict, machine_pin_cpu_pins_locals_dict_table);

static MP_DEFINE_CONST_OBJ_TYPE(
    pin_cpu_pins_obj_type,
    MP_QSTR_cpu,
    MP_TYPE_FLAG_NONE,
    locals_dict, &machine_pin_cpu_pins_locals_dict
    );

static inline bool is_ext_pin(const machine_pin_obj_t *self) {
    return self->id >= MICROPY_BOARD_GPIO_COUNT;
}

#endif // MICROPY_BOARD_RP2

/******************************************************************************/
// The ESP32 port's pins: the GPIOs the chip has (ports/esp32/machine_pin.h
// for the ESP32 without PSRAM: all of 0-39 but 24 and 28-31), by number;
// the ESP32_GENERIC board names none. 34-39 are inputs only.

#if MICROPY_BOARD_ESP32

// ESP-IDF's gpio_mode_t bits, pulls as the port numbers them, the
// interrupt types (gpio_int_type_t) and drive strengths.
#define GPIO_MODE_DEF_INPUT (1)
#define GPIO_MODE_DEF_OUTPUT (2)
#define GPIO_MODE_DEF_OD (4)
#define GPIO_MODE_INPUT (GPIO_MODE_DEF_INPUT)
#define GPIO_MODE_INPUT_OUTPUT (GPIO_MODE_DEF_INPUT | GPIO_MODE_DEF_OUTPUT)
#define GPIO_MODE_INPUT_OUTPUT_OD (GPIO_MODE_DEF_INPUT | GPIO_MODE_DEF_OUTPUT | GPIO_MODE_DEF_OD)
#define GPIO_PULL_DOWN (1)
#define GPIO_PULL_UP (2)
#define GPIO_INTR_POSEDGE (1)
#define GPIO_INTR_NEGEDGE (2)
#define GPIO_INTR_LOW_LEVEL (4)
#define GPIO_INTR_HIGH_LEVEL (5)
#define GPIO_FIRST_NON_OUTPUT (34)

#define ESP32_HAS_GPIO(n) ((n) != 24 && ((n) < 28 || (n) > 31))
#define ESP32_PIN(n) { { ESP32_HAS_GPIO(n) ? &machine_pin_type : NULL }, n },

static const machine_pin_obj_t machine_pin_obj_table[BOARD_PIN_COUNT] = {
    GPIOS_0_29(ESP32_PIN)
    GPIOS_30_39(ESP32_PIN)
};

// Each pin's IRQ object (Pin.irq() returns it), as the port keeps one per pin.
typedef struct _machine_pin_irq_obj_t {
    mp_obj_base_t base;
} machine_pin_irq_obj_t;
static const mp_obj_type_t machine_pin_irq_type;
#define ESP32_IRQ(n) { { &machine_pin_irq_type } },
static const machine_pin_irq_obj_t machine_pin_irq_obj_table[BOARD_PIN_COUNT] = {
    GPIOS_0_29(ESP32_IRQ)
    GPIOS_30_39(ESP32_IRQ)
};

// Each GPIO's interrupt type register: a soft reset leaves it as it was
// (only the handlers go), so irq().trigger() still reads it afterwards.
static uint8_t gpio_intr_type[BOARD_PIN_COUNT];
// The one pin that may wake the chip from deep sleep at a level (EXT0).
static int rtc_ext0_pin = -1;

// The GPIOs the RTC domain has: the only ones that can wake the chip.
static bool rtc_gpio_is_valid_gpio(int id) {
    static const uint8_t rtc_gpios[] = { 0, 2, 4, 12, 13, 14, 15, 25, 26, 27, 32, 33, 34, 35, 36, 37, 38, 39 };
    for (size_t i = 0; i < MP_ARRAY_SIZE(rtc_gpios); ++i) {
        if (rtc_gpios[i] == id) {
            return true;
        }
    }
    return false;
}

// The host's edges for an interrupt type: the levels arm none (see the README).
static int gpio_intr_edges(int type) {
    if (type == GPIO_INTR_POSEDGE) {
        return EDGE_RISE;
    } else if (type == GPIO_INTR_NEGEDGE) {
        return EDGE_FALL;
    } else if (type == (GPIO_INTR_POSEDGE | GPIO_INTR_NEGEDGE)) {
        return EDGE_RISE | EDGE_FALL;
    }
    return 0;
}

#define is_ext_pin(self) (false)

#endif // MICROPY_BOARD_ESP32

// Pin.board: the board's names for its pins (mpconfigboard.h), looked up
// before the chip's own.
#define BOARD_GP(n) { MP_ROM_QSTR(MP_QSTR_GP##n), MP_ROM_PTR(&machine_pin_obj_table[n]) },
#define BOARD_NAME(name, n) { MP_ROM_QSTR(MP_QSTR_##name), MP_ROM_PTR(&machine_pin_obj_table[n]) },
static const mp_rom_map_elem_t machine_pin_board_pins_locals_dict_table[] = {
    #ifdef MICROPY_BOARD_PIN_NAMES
    MICROPY_BOARD_PIN_NAMES(BOARD_GP, BOARD_NAME)
    #endif
};
static MP_DEFINE_CONST_DICT(machine_pin_board_pins_locals_dict, machine_pin_board_pins_locals_dict_table);

static MP_DEFINE_CONST_OBJ_TYPE(
    pin_board_pins_obj_type,
    MP_QSTR_board,
    MP_TYPE_FLAG_NONE,
    locals_dict, &machine_pin_board_pins_locals_dict
    );

/******************************************************************************/
// Finding a pin

static const machine_pin_obj_t *machine_pin_find_named(mp_obj_t name) {
    mp_map_t *map = (mp_map_t *)&machine_pin_board_pins_locals_dict.map;
    mp_map_elem_t *elem = mp_map_lookup(map, name, MP_MAP_LOOKUP);
    if (elem != NULL && elem->value != MP_OBJ_NULL) {
        return MP_OBJ_TO_PTR(elem->value);
    }
    #if MICROPY_BOARD_RP2
    map = (mp_map_t *)&machine_pin_cpu_pins_locals_dict.map;
    elem = mp_map_lookup(map, name, MP_MAP_LOOKUP);
    if (elem != NULL && elem->value != MP_OBJ_NULL) {
        return MP_OBJ_TO_PTR(elem->value);
    }
    #endif
    return NULL;
}

static const machine_pin_obj_t *machine_pin_find(mp_obj_t pin) {
    if (mp_obj_is_type(pin, &machine_pin_type)) {
        return MP_OBJ_TO_PTR(pin);
    }
    #if MICROPY_BOARD_RP2
    if (mp_obj_is_str(pin)) {
        const machine_pin_obj_t *self = machine_pin_find_named(pin);
        if (self != NULL) {
            return self;
        }
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("unknown named pin \"%s\""), mp_obj_str_get_str(pin));
    }
    if (mp_obj_is_int(pin)) {
        // Only the RP2040's own GPIOs have numbers.
        mp_int_t wanted = mp_obj_get_int(pin);
        if (0 <= wanted && wanted < MICROPY_BOARD_GPIO_COUNT) {
            return &machine_pin_obj_table[wanted];
        }
    }
    #endif
    #if MICROPY_BOARD_ESP32
    if (mp_obj_is_int(pin)) {
        mp_int_t wanted = mp_obj_get_int(pin);
        if (0 <= wanted && wanted < BOARD_PIN_COUNT && machine_pin_obj_table[wanted].base.type != NULL) {
            return &machine_pin_obj_table[wanted];
        }
    }
    if (mp_obj_is_str(pin)) {
        const machine_pin_obj_t *self = machine_pin_find_named(pin);
        if (self != NULL) {
            return self;
        }
    }
    #endif
    mp_raise_ValueError(MP_ERROR_TEXT("invalid pin"));
}

int machine_pin_get_id(mp_obj_t pin) {
    const machine_pin_obj_t *self = machine_pin_find(pin);
    #if MICROPY_BOARD_RP2
    if (is_ext_pin(self)) {
        mp_raise_ValueError(MP_ERROR_TEXT("expecting a regular GPIO Pin"));
    }
    #endif
    return self->id;
}

/******************************************************************************/
// The Pico W's wireless chip GPIOs (ports/rp2/machine_pin_cyw43.c): only IN
// and OUT, no pulls. The firmware remembers whether it made one an output
// and the value it last wrote; the chip drives the pin whenever it is set.

#if MICROPY_BOARD_EXT_GPIO_COUNT

static bool ext_is_output[MICROPY_BOARD_EXT_GPIO_COUNT];
static bool ext_last_value[MICROPY_BOARD_EXT_GPIO_COUNT];

static void ext_pin_set(const machine_pin_obj_t *self, bool value) {
    int n = self->id - MICROPY_BOARD_GPIO_COUNT;
    if (value != ext_last_value[n] || !ext_is_output[n]) {
        machine_pin_take_irqs(host_pin_config(self->id, HOST_PIN_OUT, 0, value, NULL));
    }
    ext_last_value[n] = value;
}

static void ext_pin_config(const machine_pin_obj_t *self, mp_int_t mode, int value) {
    int n = self->id - MICROPY_BOARD_GPIO_COUNT;
    if (mode == MACHINE_PIN_MODE_IN) {
        // The driver cannot turn the chip's output off: the pin keeps its level.
        ext_is_output[n] = false;
    } else if (mode == MACHINE_PIN_MODE_OUT) {
        if (!ext_is_output[n]) {
            if (value == -1) {
                value = ext_last_value[n];
            }
            ext_last_value[n] = !ext_last_value[n];
            ext_pin_set(self, value);
            ext_is_output[n] = true;
        }
    } else {
        mp_raise_ValueError(MP_ERROR_TEXT("only Pin.OUT and Pin.IN are supported for this pin"));
    }
    if (value != -1) {
        if (ext_is_output[n]) {
            ext_pin_set(self, value);
        } else {
            ext_last_value[n] = value;
        }
    }
}

#endif

/******************************************************************************/
// Reading and writing

// An edge that a write raised on an armed pin fires its IRQ before the
// write returns, as on the chip.
static void machine_pin_take_irqs(int answer) {
    if (answer == HOST_PENDING) {
        board_service_events();
    }
}

static int machine_pin_read(const machine_pin_obj_t *self) {
    return host_pin_read(self->id);
}

static void machine_pin_write(const machine_pin_obj_t *self, bool value) {
    #if MICROPY_BOARD_EXT_GPIO_COUNT
    if (is_ext_pin(self)) {
        ext_pin_set(self, value);
        return;
    }
    #endif
    machine_pin_take_irqs(host_pin_write(self->id, value));
}

static void machine_pin_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    const machine_pin_obj_t *self = MP_OBJ_TO_PTR(self_in);
    #if MICROPY_BOARD_RP2
    #if MICROPY_BOARD_EXT_GPIO_COUNT
    if (is_ext_pin(self)) {
        bool out = ext_is_output[self->id - MICROPY_BOARD_GPIO_COUNT];
        mp_printf(print, "Pin(%q, mode=%q)", self->name, out ? MP_QSTR_OUT : MP_QSTR_IN);
        return;
    }
    #endif
    host_pin_settings_t settings;
    host_pin_settings(self->id, &settings);
    qstr mode = MP_QSTR_IN;
    if (settings.mode == HOST_PIN_OUT) {
        mode = MP_QSTR_OUT;
    } else if (settings.mode == HOST_PIN_OPEN_DRAIN) {
        mode = MP_QSTR_OPEN_DRAIN;
    } else if (settings.mode == HOST_PIN_ALT) {
        mode = MP_QSTR_ALT;
    }
    mp_printf(print, "Pin(%q, mode=%q", self->name, mode);
    if (settings.pull & HOST_PIN_PULL_UP) {
        mp_printf(print, ", pull=%q", MP_QSTR_PULL_UP);
    }
    if (settings.pull & HOST_PIN_PULL_DOWN) {
        mp_printf(print, (settings.pull & HOST_PIN_PULL_UP) ? "|%q" : ", pull=%q", MP_QSTR_PULL_DOWN);
    }
    if (settings.mode == HOST_PIN_ALT && settings.alt[0] != '\0') {
        mp_printf(print, ", alt=%s", settings.alt);
    }
    mp_print_str(print, ")");
    #else
    mp_printf(print, "Pin(%u)", self->id);
    #endif
}

/******************************************************************************/
// init: the constructor's arguments after the id

#if MICROPY_BOARD_RP2

// pin.init(mode, pull=None, *, value=None, alt=ALT_SIO)
static mp_obj_t machine_pin_obj_init_helper(const machine_pin_obj_t *self, size_t n_args, const mp_obj_t *pos_args, mp_map_t *kw_args) {
    enum { ARG_mode, ARG_pull, ARG_value, ARG_alt };
    static const mp_arg_t allowed_args[] = {
        { MP_QSTR_mode, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_pull, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_value, MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_alt, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = GPIO_FUNC_SIO} },
    };
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all(n_args, pos_args, kw_args, MP_ARRAY_SIZE(allowed_args), allowed_args, args);

    if (is_ext_pin(self) && args[ARG_pull].u_obj != mp_const_none) {
        mp_raise_ValueError(MP_ERROR_TEXT("pulls are not supported for external pins"));
    }
    if (is_ext_pin(self) && args[ARG_alt].u_int != GPIO_FUNC_SIO) {
        mp_raise_ValueError(MP_ERROR_TEXT("alternate functions are not supported for external pins"));
    }

    // The initial value, for OUT and OPEN_DRAIN only.
    int value = -1;
    if (args[ARG_value].u_obj != mp_const_none) {
        value = mp_obj_is_true(args[ARG_value].u_obj);
    }

    #if MICROPY_BOARD_EXT_GPIO_COUNT
    if (is_ext_pin(self)) {
        if (args[ARG_mode].u_obj != mp_const_none) {
            ext_pin_config(self, mp_obj_get_int(args[ARG_mode].u_obj), value);
        }
        return mp_const_none;
    }
    #endif

    host_pin_settings_t settings;
    host_pin_settings(self->id, &settings);
    int mode = settings.mode;
    const char *alt = settings.mode == HOST_PIN_ALT ? settings.alt : NULL;
    int latch = -1;
    if (args[ARG_mode].u_obj != mp_const_none) {
        mp_int_t wanted = mp_obj_get_int(args[ARG_mode].u_obj);
        alt = NULL;
        if (wanted == MACHINE_PIN_MODE_IN) {
            mode = HOST_PIN_IN;
        } else if (wanted == MACHINE_PIN_MODE_OUT) {
            mode = HOST_PIN_OUT;
            latch = value;
        } else if (wanted == MACHINE_PIN_MODE_OPEN_DRAIN) {
            // Released (high) unless a value says otherwise.
            mode = HOST_PIN_OPEN_DRAIN;
            latch = value == -1 ? 1 : value;
        } else {
            mp_int_t func = args[ARG_alt].u_int;
            if (!gpio_has_func(self->id, func)) {
                mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("invalid pin af: %d"), func);
            }
            if (func == GPIO_FUNC_SIO) {
                // Back to plain GPIO: the SIO block's direction is as it was.
                mode = settings.mode == HOST_PIN_OUT ? HOST_PIN_OUT : HOST_PIN_IN;
            } else {
                mode = HOST_PIN_ALT;
                alt = gpio_func_names[func];
            }
        }
    }

    // The pulls are set every time: no pull given means none.
    mp_int_t pull = 0;
    if (args[ARG_pull].u_obj != mp_const_none) {
        pull = mp_obj_get_int(args[ARG_pull].u_obj);
    }
    pull &= GPIO_PULL_UP | GPIO_PULL_DOWN;

    machine_pin_take_irqs(host_pin_config(self->id, mode, pull, latch, alt));
    return mp_const_none;
}

#endif // MICROPY_BOARD_RP2

#if MICROPY_BOARD_ESP32

// pin.init(mode=None, pull=-1, *, value, drive, hold)
static mp_obj_t machine_pin_obj_init_helper(const machine_pin_obj_t *self, size_t n_args, const mp_obj_t *pos_args, mp_map_t *kw_args) {
    enum { ARG_mode, ARG_pull, ARG_value, ARG_drive, ARG_hold };
    static const mp_arg_t allowed_args[] = {
        { MP_QSTR_mode, MP_ARG_OBJ, {.u_obj = mp_const_none}},
        { MP_QSTR_pull, MP_ARG_OBJ, {.u_obj = MP_OBJ_NEW_SMALL_INT(-1)}},
        { MP_QSTR_value, MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_obj = MP_OBJ_NULL}},
        { MP_QSTR_drive, MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_obj = MP_OBJ_NULL}},
        { MP_QSTR_hold, MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_obj = MP_OBJ_NULL}},
    };
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all(n_args, pos_args, kw_args, MP_ARRAY_SIZE(allowed_args), allowed_args, args);

    int id = self->id;
    host_pin_settings_t settings;
    host_pin_settings(id, &settings);
    int mode = settings.mode;
    const char *alt = settings.mode == HOST_PIN_ALT ? settings.alt : NULL;
    int pull = settings.pull;

    // The output latch is set before the mode.
    int latch = -1;
    if (args[ARG_value].u_obj != MP_OBJ_NULL) {
        latch = mp_obj_is_true(args[ARG_value].u_obj);
    }

    // The drive strength (DRIVE_0-3) is taken but not modelled.
    if (args[ARG_drive].u_obj != MP_OBJ_NULL && id < GPIO_FIRST_NON_OUTPUT) {
        (void)mp_obj_get_int(args[ARG_drive].u_obj);
    }

    if (args[ARG_mode].u_obj != mp_const_none) {
        mp_int_t io_mode = mp_obj_get_int(args[ARG_mode].u_obj);
        if (id >= GPIO_FIRST_NON_OUTPUT && (io_mode & GPIO_MODE_DEF_OUTPUT)) {
            mp_raise_ValueError(MP_ERROR_TEXT("pin can only be input"));
        }
        if (!(io_mode & GPIO_MODE_DEF_OUTPUT)) {
            mode = HOST_PIN_IN;
        } else if (io_mode & GPIO_MODE_DEF_OD) {
            mode = HOST_PIN_OPEN_DRAIN;
        } else {
            mode = HOST_PIN_OUT;
        }
        alt = NULL;
    }

    // Pulls change only when given (None: neither).
    if (args[ARG_pull].u_obj != MP_OBJ_NEW_SMALL_INT(-1)) {
        mp_int_t wanted = 0;
        if (args[ARG_pull].u_obj != mp_const_none) {
            wanted = mp_obj_get_int(args[ARG_pull].u_obj);
        }
        pull = ((wanted & GPIO_PULL_UP) ? HOST_PIN_PULL_UP : 0) | ((wanted & GPIO_PULL_DOWN) ? HOST_PIN_PULL_DOWN : 0);
    }

    // Holding the pad through deep sleep is not modelled either.
    if (args[ARG_hold].u_obj != MP_OBJ_NULL && id < GPIO_FIRST_NON_OUTPUT) {
        (void)mp_obj_is_true(args[ARG_hold].u_obj);
    }

    machine_pin_take_irqs(host_pin_config(id, mode, pull, latch, alt));
    return mp_const_none;
}

#endif // MICROPY_BOARD_ESP32

// constructor(id, ...)
mp_obj_t mp_pin_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 1, MP_OBJ_FUN_ARGS_MAX, true);
    const machine_pin_obj_t *self = machine_pin_find(args[0]);
    if (n_args > 1 || n_kw > 0) {
        mp_map_t kw_args;
        mp_map_init_fixed_table(&kw_args, n_kw, args + n_args);
        machine_pin_obj_init_helper(self, n_args - 1, args + 1, &kw_args);
    }
    return MP_OBJ_FROM_PTR(self);
}

// pin([value]): the fast way to read or set it
static mp_obj_t machine_pin_call(mp_obj_t self_in, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 0, 1, false);
    const machine_pin_obj_t *self = MP_OBJ_TO_PTR(self_in);
    if (n_args == 0) {
        return MP_OBJ_NEW_SMALL_INT(machine_pin_read(self));
    }
    machine_pin_write(self, mp_obj_is_true(args[0]));
    return mp_const_none;
}

static mp_obj_t machine_pin_obj_init(size_t n_args, const mp_obj_t *args, mp_map_t *kw_args) {
    return machine_pin_obj_init_helper(MP_OBJ_TO_PTR(args[0]), n_args - 1, args + 1, kw_args);
}
static MP_DEFINE_CONST_FUN_OBJ_KW(machine_pin_init_obj, 1, machine_pin_obj_init);

static mp_obj_t machine_pin_value(size_t n_args, const mp_obj_t *args) {
    return machine_pin_call(args[0], n_args - 1, 0, args + 1);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(machine_pin_value_obj, 1, 2, machine_pin_value);

static mp_obj_t machine_pin_low(mp_obj_t self_in) {
    machine_pin_write(MP_OBJ_TO_PTR(self_in), false);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(machine_pin_low_obj, machine_pin_low);

static mp_obj_t machine_pin_high(mp_obj_t self_in) {
    machine_pin_write(MP_OBJ_TO_PTR(self_in), true);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(machine_pin_high_obj, machine_pin_high);

// pin.toggle(): inverts the output latch (what the pin drives as an output)
static mp_obj_t machine_pin_toggle(mp_obj_t self_in) {
    const machine_pin_obj_t *self = MP_OBJ_TO_PTR(self_in);
    #if MICROPY_BOARD_EXT_GPIO_COUNT
    if (is_ext_pin(self)) {
        ext_pin_set(self, !ext_last_value[self->id - MICROPY_BOARD_GPIO_COUNT]);
        return mp_const_none;
    }
    #endif
    host_pin_settings_t settings;
    host_pin_settings(self->id, &settings);
    machine_pin_take_irqs(host_pin_write(self->id, !settings.output));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(machine_pin_toggle_obj, machine_pin_toggle);

/******************************************************************************/
// IRQs

// Edges that arrived and are not dispatched yet, per pin. An edge raised
// while a handler runs (a hard handler writing to an armed pin) waits until
// it returns, as the chip holds an interrupt raised during its own handler.
static uint8_t machine_pin_irq_pending[BOARD_PIN_COUNT];
static bool machine_pin_irq_running;

static void machine_pin_irq_dispatch(int pin, int edges);

void machine_pin_irq_event(int pin, int edge) {
    if (pin < 0 || pin >= BOARD_PIN_COUNT) {
        return;
    }
    machine_pin_irq_pending[pin] |= edge;
    if (machine_pin_irq_running) {
        return;
    }
    machine_pin_irq_running = true;
    for (bool again = true; again;) {
        again = false;
        for (int i = 0; i < BOARD_PIN_COUNT; ++i) {
            int edges = machine_pin_irq_pending[i];
            if (edges != 0) {
                machine_pin_irq_pending[i] = 0;
                machine_pin_irq_dispatch(i, edges);
                again = true;
            }
        }
    }
    machine_pin_irq_running = false;
}

#if MICROPY_BOARD_RP2

typedef struct _machine_pin_irq_obj_t {
    mp_irq_obj_t base;
    uint32_t flags;
    uint32_t trigger;
} machine_pin_irq_obj_t;

static const mp_irq_methods_t machine_pin_irq_methods;

// The host's edges for an rp2 trigger mask (the level events arm none).
static int machine_pin_irq_edges(uint32_t trigger) {
    return ((trigger & GPIO_IRQ_EDGE_RISE) ? EDGE_RISE : 0) | ((trigger & GPIO_IRQ_EDGE_FALL) ? EDGE_FALL : 0);
}

static machine_pin_irq_obj_t *machine_pin_get_irq(int id) {
    machine_pin_irq_obj_t *irq = MP_STATE_PORT(machine_pin_irq_obj[id]);
    if (irq == NULL) {
        irq = m_new_obj(machine_pin_irq_obj_t);
        irq->base.base.type = &mp_irq_type;
        irq->base.methods = (mp_irq_methods_t *)&machine_pin_irq_methods;
        irq->base.parent = MP_OBJ_FROM_PTR(&machine_pin_obj_table[id]);
        irq->base.handler = mp_const_none;
        irq->base.ishard = false;
        irq->flags = 0;
        irq->trigger = 0;
        MP_STATE_PORT(machine_pin_irq_obj[id]) = irq;
    }
    return irq;
}

static void machine_pin_irq_dispatch(int pin, int edges) {
    if (pin >= MICROPY_BOARD_GPIO_COUNT) {
        return;
    }
    machine_pin_irq_obj_t *irq = MP_STATE_PORT(machine_pin_irq_obj[pin]);
    if (irq == NULL) {
        return;
    }
    uint32_t flags = ((edges & EDGE_RISE) ? GPIO_IRQ_EDGE_RISE : 0) | ((edges & EDGE_FALL) ? GPIO_IRQ_EDGE_FALL : 0);
    flags &= irq->trigger;
    if (flags != 0) {
        irq->flags = flags;
        // Soft: scheduled; hard: run now, with the heap and scheduler locked.
        mp_irq_handler(&irq->base);
    }
}

// pin.irq(handler=None, trigger=IRQ_FALLING|IRQ_RISING, hard=False)
static mp_obj_t machine_pin_irq(size_t n_args, const mp_obj_t *pos_args, mp_map_t *kw_args) {
    enum { ARG_handler, ARG_trigger, ARG_hard };
    static const mp_arg_t allowed_args[] = {
        { MP_QSTR_handler, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_trigger, MP_ARG_INT, {.u_int = GPIO_IRQ_EDGE_FALL | GPIO_IRQ_EDGE_RISE} },
        { MP_QSTR_hard, MP_ARG_BOOL, {.u_bool = false} },
    };
    const machine_pin_obj_t *self = MP_OBJ_TO_PTR(pos_args[0]);
    if (is_ext_pin(self)) {
        mp_raise_ValueError(MP_ERROR_TEXT("expecting a regular GPIO Pin"));
    }
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all(n_args - 1, pos_args + 1, kw_args, MP_ARRAY_SIZE(allowed_args), allowed_args, args);

    machine_pin_irq_obj_t *irq = machine_pin_get_irq(self->id);
    if (n_args > 1 || kw_args->used != 0) {
        mp_obj_t handler = args[ARG_handler].u_obj;
        mp_uint_t trigger = args[ARG_trigger].u_int;
        host_pin_irq(self->id, 0);
        irq->base.handler = handler;
        irq->base.ishard = args[ARG_hard].u_bool;
        irq->flags = 0;
        irq->trigger = trigger;
        if (handler != mp_const_none && trigger != 0) {
            host_pin_irq(self->id, machine_pin_irq_edges(trigger));
        }
    }
    return MP_OBJ_FROM_PTR(irq);
}
static MP_DEFINE_CONST_FUN_OBJ_KW(machine_pin_irq_obj, 1, machine_pin_irq);

static mp_uint_t machine_pin_irq_trigger(mp_obj_t self_in, mp_uint_t new_trigger) {
    const machine_pin_obj_t *self = MP_OBJ_TO_PTR(self_in);
    machine_pin_irq_obj_t *irq = MP_STATE_PORT(machine_pin_irq_obj[self->id]);
    irq->flags = 0;
    irq->trigger = new_trigger;
    host_pin_irq(self->id, machine_pin_irq_edges(new_trigger));
    return 0;
}

static mp_uint_t machine_pin_irq_info(mp_obj_t self_in, mp_uint_t info_type) {
    const machine_pin_obj_t *self = MP_OBJ_TO_PTR(self_in);
    machine_pin_irq_obj_t *irq = MP_STATE_PORT(machine_pin_irq_obj[self->id]);
    if (info_type == MP_IRQ_INFO_FLAGS) {
        return irq->flags;
    } else if (info_type == MP_IRQ_INFO_TRIGGERS) {
        return irq->trigger;
    }
    return 0;
}

static const mp_irq_methods_t machine_pin_irq_methods = {
    .trigger = machine_pin_irq_trigger,
    .info = machine_pin_irq_info,
};

void machine_pin_deinit(void) {
    for (int i = 0; i < MICROPY_BOARD_GPIO_COUNT; ++i) {
        if (MP_STATE_PORT(machine_pin_irq_obj[i]) != NULL) {
            host_pin_irq(i, 0);
            MP_STATE_PORT(machine_pin_irq_obj[i]) = NULL;
        }
    }
    memset(machine_pin_irq_pending, 0, sizeof(machine_pin_irq_pending));
}

MP_REGISTER_ROOT_POINTER(void *machine_pin_irq_obj[30]);

#endif // MICROPY_BOARD_RP2

#if MICROPY_BOARD_ESP32

static void machine_pin_irq_dispatch(int pin, int edges) {
    mp_obj_t handler = MP_STATE_PORT(machine_pin_irq_handler)[pin];
    if (handler != MP_OBJ_NULL && (edges & gpio_intr_edges(gpio_intr_type[pin]))) {
        mp_sched_schedule(handler, MP_OBJ_FROM_PTR(&machine_pin_obj_table[pin]));
    }
}

// Arm the host for the pin's interrupt type while it has a handler.
static void machine_pin_irq_arm(int id) {
    bool handled = MP_STATE_PORT(machine_pin_irq_handler)[id] != MP_OBJ_NULL;
    host_pin_irq(id, handled ? gpio_intr_edges(gpio_intr_type[id]) : 0);
}

// pin.irq(handler=None, trigger=IRQ_FALLING|IRQ_RISING, wake=None)
static mp_obj_t machine_pin_irq(size_t n_args, const mp_obj_t *pos_args, mp_map_t *kw_args) {
    enum { ARG_handler, ARG_trigger, ARG_wake };
    static const mp_arg_t allowed_args[] = {
        { MP_QSTR_handler, MP_ARG_OBJ, {.u_obj = mp_const_none} },
        { MP_QSTR_trigger, MP_ARG_INT, {.u_int = GPIO_INTR_POSEDGE | GPIO_INTR_NEGEDGE} },
        { MP_QSTR_wake, MP_ARG_OBJ, {.u_obj = mp_const_none} },
    };
    const machine_pin_obj_t *self = MP_OBJ_TO_PTR(pos_args[0]);
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all(n_args - 1, pos_args + 1, kw_args, MP_ARRAY_SIZE(allowed_args), allowed_args, args);

    if (n_args > 1 || kw_args->used != 0) {
        int id = self->id;
        mp_obj_t handler = args[ARG_handler].u_obj;
        uint32_t trigger = args[ARG_trigger].u_int;
        mp_obj_t wake_obj = args[ARG_wake].u_obj;

        if ((trigger == GPIO_INTR_LOW_LEVEL || trigger == GPIO_INTR_HIGH_LEVEL) && wake_obj != mp_const_none) {
            // A level that wakes the chip from sleep (EXT0): recorded, not modelled.
            mp_int_t wake;
            if (!mp_obj_get_int_maybe(wake_obj, &wake) || wake < 2 || wake > 7) {
                mp_raise_ValueError(MP_ERROR_TEXT("bad wake value"));
            }
            if (!rtc_gpio_is_valid_gpio(id)) {
                mp_raise_ValueError(MP_ERROR_TEXT("invalid pin for wake"));
            }
            if (rtc_ext0_pin == -1) {
                rtc_ext0_pin = id;
            } else if (rtc_ext0_pin != id) {
                mp_raise_ValueError(MP_ERROR_TEXT("no resources"));
            }
        } else {
            if (rtc_ext0_pin == id) {
                rtc_ext0_pin = -1;
            }
            if (handler == mp_const_none) {
                handler = MP_OBJ_NULL;
                trigger = 0;
            }
            MP_STATE_PORT(machine_pin_irq_handler)[id] = handler;
            gpio_intr_type[id] = trigger;
            machine_pin_irq_arm(id);
        }
    }
    return MP_OBJ_FROM_PTR(&machine_pin_irq_obj_table[self->id]);
}
static MP_DEFINE_CONST_FUN_OBJ_KW(machine_pin_irq_obj, 1, machine_pin_irq);

static int machine_pin_irq_id(mp_obj_t self_in) {
    return (const machine_pin_irq_obj_t *)MP_OBJ_TO_PTR(self_in) - &machine_pin_irq_obj_table[0];
}

// irq(): runs the handler as an interrupt would (scheduled)
static mp_obj_t machine_pin_irq_call(mp_obj_t self_in, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 0, 0, false);
    int id = machine_pin_irq_id(self_in);
    mp_obj_t handler = MP_STATE_PORT(machine_pin_irq_handler)[id];
    if (handler != MP_OBJ_NULL) {
        mp_sched_schedule(handler, MP_OBJ_FROM_PTR(&machine_pin_obj_table[id]));
    }
    return mp_const_none;
}

// irq.trigger([trigger]): the interrupt type it had
static mp_obj_t machine_pin_irq_trigger(size_t n_args, const mp_obj_t *args) {
    int id = machine_pin_irq_id(args[0]);
    int before = gpio_intr_type[id];
    if (n_args == 2) {
        gpio_intr_type[id] = mp_obj_get_int(args[1]);
        machine_pin_irq_arm(id);
    }
    return MP_OBJ_NEW_SMALL_INT(before);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(machine_pin_irq_trigger_obj, 1, 2, machine_pin_irq_trigger);

static const mp_rom_map_elem_t machine_pin_irq_locals_dict_table[] = {
    { MP_ROM_QSTR(MP_QSTR_trigger), MP_ROM_PTR(&machine_pin_irq_trigger_obj) },
};
static MP_DEFINE_CONST_DICT(machine_pin_irq_locals_dict, machine_pin_irq_locals_dict_table);

static MP_DEFINE_CONST_OBJ_TYPE(
    machine_pin_irq_type,
    MP_QSTR_IRQ,
    MP_TYPE_FLAG_NONE,
    call, machine_pin_irq_call,
    locals_dict, &machine_pin_irq_locals_dict
    );

void machine_pin_deinit(void) {
    for (int i = 0; i < BOARD_PIN_COUNT; ++i) {
        if (MP_STATE_PORT(machine_pin_irq_handler)[i] != MP_OBJ_NULL) {
            host_pin_irq(i, 0);
            MP_STATE_PORT(machine_pin_irq_handler)[i] = MP_OBJ_NULL;
        }
    }
    memset(machine_pin_irq_pending, 0, sizeof(machine_pin_irq_pending));
}

MP_REGISTER_ROOT_POINTER(mp_obj_t machine_pin_irq_handler[40]);

#endif // MICROPY_BOARD_ESP32

/******************************************************************************/
// The type

static const mp_rom_map_elem_t machine_pin_locals_dict_table[] = {
    { MP_ROM_QSTR(MP_QSTR_init), MP_ROM_PTR(&machine_pin_init_obj) },
    { MP_ROM_QSTR(MP_QSTR_value), MP_ROM_PTR(&machine_pin_value_obj) },
    #if MICROPY_BOARD_RP2
    { MP_ROM_QSTR(MP_QSTR_low), MP_ROM_PTR(&machine_pin_low_obj) },
    { MP_ROM_QSTR(MP_QSTR_high), MP_ROM_PTR(&machine_pin_high_obj) },
    #endif
    { MP_ROM_QSTR(MP_QSTR_off), MP_ROM_PTR(&machine_pin_low_obj) },
    { MP_ROM_QSTR(MP_QSTR_on), MP_ROM_PTR(&machine_pin_high_obj) },
    { MP_ROM_QSTR(MP_QSTR_toggle), MP_ROM_PTR(&machine_pin_toggle_obj) },
    { MP_ROM_QSTR(MP_QSTR_irq), MP_ROM_PTR(&machine_pin_irq_obj) },

    { MP_ROM_QSTR(MP_QSTR_board), MP_ROM_PTR(&pin_board_pins_obj_type) },
    #if MICROPY_BOARD_RP2
    { MP_ROM_QSTR(MP_QSTR_cpu), MP_ROM_PTR(&pin_cpu_pins_obj_type) },

    { MP_ROM_QSTR(MP_QSTR_IN), MP_ROM_INT(MACHINE_PIN_MODE_IN) },
    { MP_ROM_QSTR(MP_QSTR_OUT), MP_ROM_INT(MACHINE_PIN_MODE_OUT) },
    { MP_ROM_QSTR(MP_QSTR_OPEN_DRAIN), MP_ROM_INT(MACHINE_PIN_MODE_OPEN_DRAIN) },
    { MP_ROM_QSTR(MP_QSTR_ALT), MP_ROM_INT(MACHINE_PIN_MODE_ALT) },
    { MP_ROM_QSTR(MP_QSTR_PULL_UP), MP_ROM_INT(GPIO_PULL_UP) },
    { MP_ROM_QSTR(MP_QSTR_PULL_DOWN), MP_ROM_INT(GPIO_PULL_DOWN) },
    { MP_ROM_QSTR(MP_QSTR_IRQ_RISING), MP_ROM_INT(GPIO_IRQ_EDGE_RISE) },
    { MP_ROM_QSTR(MP_QSTR_IRQ_FALLING), MP_ROM_INT(GPIO_IRQ_EDGE_FALL) },
    { MP_ROM_QSTR(MP_QSTR_ALT_SPI), MP_ROM_INT(GPIO_FUNC_SPI) },
    { MP_ROM_QSTR(MP_QSTR_ALT_UART), MP_ROM_INT(GPIO_FUNC_UART) },
    { MP_ROM_QSTR(MP_QSTR_ALT_I2C), MP_ROM_INT(GPIO_FUNC_I2C) },
    { MP_ROM_QSTR(MP_QSTR_ALT_PWM), MP_ROM_INT(GPIO_FUNC_PWM) },
    { MP_ROM_QSTR(MP_QSTR_ALT_SIO), MP_ROM_INT(GPIO_FUNC_SIO) },
    { MP_ROM_QSTR(MP_QSTR_ALT_PIO0), MP_ROM_INT(GPIO_FUNC_PIO0) },
    { MP_ROM_QSTR(MP_QSTR_ALT_PIO1), MP_ROM_INT(GPIO_FUNC_PIO1) },
    { MP_ROM_QSTR(MP_QSTR_ALT_GPCK), MP_ROM_INT(GPIO_FUNC_GPCK) },
    { MP_ROM_QSTR(MP_QSTR_ALT_USB), MP_ROM_INT(GPIO_FUNC_USB) },
    #endif
    #if MICROPY_BOARD_ESP32
    { MP_ROM_QSTR(MP_QSTR_IN), MP_ROM_INT(GPIO_MODE_INPUT) },
    { MP_ROM_QSTR(MP_QSTR_OUT), MP_ROM_INT(GPIO_MODE_INPUT_OUTPUT) },
    { MP_ROM_QSTR(MP_QSTR_OPEN_DRAIN), MP_ROM_INT(GPIO_MODE_INPUT_OUTPUT_OD) },
    { MP_ROM_QSTR(MP_QSTR_PULL_UP), MP_ROM_INT(GPIO_PULL_UP) },
    { MP_ROM_QSTR(MP_QSTR_PULL_DOWN), MP_ROM_INT(GPIO_PULL_DOWN) },
    { MP_ROM_QSTR(MP_QSTR_IRQ_RISING), MP_ROM_INT(GPIO_INTR_POSEDGE) },
    { MP_ROM_QSTR(MP_QSTR_IRQ_FALLING), MP_ROM_INT(GPIO_INTR_NEGEDGE) },
    { MP_ROM_QSTR(MP_QSTR_WAKE_LOW), MP_ROM_INT(GPIO_INTR_LOW_LEVEL) },
    { MP_ROM_QSTR(MP_QSTR_WAKE_HIGH), MP_ROM_INT(GPIO_INTR_HIGH_LEVEL) },
    { MP_ROM_QSTR(MP_QSTR_DRIVE_0), MP_ROM_INT(0) },
    { MP_ROM_QSTR(MP_QSTR_DRIVE_1), MP_ROM_INT(1) },
    { MP_ROM_QSTR(MP_QSTR_DRIVE_2), MP_ROM_INT(2) },
    { MP_ROM_QSTR(MP_QSTR_DRIVE_3), MP_ROM_INT(3) },
    #endif
};
static MP_DEFINE_CONST_DICT(machine_pin_locals_dict, machine_pin_locals_dict_table);

// What Signal and the virtual pin protocol read and write.
static mp_uint_t pin_ioctl(mp_obj_t self_in, mp_uint_t request, uintptr_t arg, int *errcode) {
    const machine_pin_obj_t *self = MP_OBJ_TO_PTR(self_in);
    switch (request) {
        case MP_PIN_READ:
            return machine_pin_read(self);
        case MP_PIN_WRITE:
            machine_pin_write(self, arg);
            return 0;
    }
    return -1;
}

static const mp_pin_p_t pin_pin_p = {
    .ioctl = pin_ioctl,
};

MP_DEFINE_CONST_OBJ_TYPE(
    machine_pin_type,
    MP_QSTR_Pin,
    MP_TYPE_FLAG_NONE,
    make_new, mp_pin_make_new,
    print, machine_pin_print,
    call, machine_pin_call,
    protocol, &pin_pin_p,
    locals_dict, &machine_pin_locals_dict
    );
