// machine.TouchPad, as ports/esp32/machine_touchpad.c presents it on the
// ESP32: one object per touch channel (T0-T9 on their GPIOs), read() giving
// the channel's count, which falls when a finger is on the pad. The counts
// come from the host (what is wired to the pin: boards/parts.py TouchPad).
#include "py/runtime.h"
#include "py/mphal.h"
#include "machine_pin.h"

#if MICROPY_BOARD_ESP32

typedef struct _mtp_obj_t {
    mp_obj_base_t base;
    uint8_t gpio_id;
} mtp_obj_t;

const mp_obj_type_t machine_touchpad_type;

// The ESP32's touch channels, T0 to T9.
static const mtp_obj_t touchpad_obj[] = {
    {{&machine_touchpad_type}, 4},
    {{&machine_touchpad_type}, 0},
    {{&machine_touchpad_type}, 2},
    {{&machine_touchpad_type}, 15},
    {{&machine_touchpad_type}, 13},
    {{&machine_touchpad_type}, 12},
    {{&machine_touchpad_type}, 14},
    {{&machine_touchpad_type}, 27},
    {{&machine_touchpad_type}, 33},
    {{&machine_touchpad_type}, 32},
};

static mp_obj_t mtp_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 1, 1, true);
    int pin_id = machine_pin_get_id(args[0]);
    for (size_t i = 0; i < MP_ARRAY_SIZE(touchpad_obj); i++) {
        if (pin_id == touchpad_obj[i].gpio_id) {
            return MP_OBJ_FROM_PTR(&touchpad_obj[i]);
        }
    }
    mp_raise_ValueError(MP_ERROR_TEXT("invalid pin for touchpad"));
}

// config(threshold): the threshold for waking from sleep by touch (not modelled).
static mp_obj_t mtp_config(mp_obj_t self_in, mp_obj_t value_in) {
    (void)mp_obj_get_int(value_in);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(mtp_config_obj, mtp_config);

static mp_obj_t mtp_read(mp_obj_t self_in) {
    const mtp_obj_t *self = MP_OBJ_TO_PTR(self_in);
    return MP_OBJ_NEW_SMALL_INT(host_touch_read(self->gpio_id));
}
static MP_DEFINE_CONST_FUN_OBJ_1(mtp_read_obj, mtp_read);

static const mp_rom_map_elem_t mtp_locals_dict_table[] = {
    { MP_ROM_QSTR(MP_QSTR_config), MP_ROM_PTR(&mtp_config_obj) },
    { MP_ROM_QSTR(MP_QSTR_read), MP_ROM_PTR(&mtp_read_obj) },
};
static MP_DEFINE_CONST_DICT(mtp_locals_dict, mtp_locals_dict_table);

MP_DEFINE_CONST_OBJ_TYPE(
    machine_touchpad_type,
    MP_QSTR_TouchPad,
    MP_TYPE_FLAG_NONE,
    make_new, mtp_make_new,
    locals_dict, &mtp_locals_dict
    );

#endif
