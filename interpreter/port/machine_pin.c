// machine.Pin. (A first version: numbered pins, IN/OUT, value; the rest of
// the rp2 and esp32 ports' Pin follows.)
#include "py/runtime.h"
#include "py/mphal.h"
#include "extmod/modmachine.h"
#include "machine_pin.h"

typedef struct _machine_pin_obj_t {
    mp_obj_base_t base;
    int id;
} machine_pin_obj_t;

int machine_pin_get_id(mp_obj_t pin) {
    if (mp_obj_is_type(pin, &machine_pin_type)) {
        return ((machine_pin_obj_t *)MP_OBJ_TO_PTR(pin))->id;
    }
    mp_int_t id = mp_obj_get_int(pin);
    if (id < 0 || id >= MICROPY_BOARD_GPIO_COUNT) {
        mp_raise_ValueError(MP_ERROR_TEXT("invalid pin"));
    }
    return id;
}

void machine_pin_deinit(void) {
}

void machine_pin_irq_event(int pin, int edge) {
}

mp_obj_t mp_pin_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 1, 2, false);
    machine_pin_obj_t *self = mp_obj_malloc(machine_pin_obj_t, &machine_pin_type);
    self->id = machine_pin_get_id(args[0]);
    if (n_args > 1) {
        host_pin_config(self->id, mp_obj_get_int(args[1]), 0, -1, NULL);
    }
    return MP_OBJ_FROM_PTR(self);
}

static mp_obj_t machine_pin_value(size_t n_args, const mp_obj_t *args) {
    machine_pin_obj_t *self = MP_OBJ_TO_PTR(args[0]);
    if (n_args == 1) {
        return MP_OBJ_NEW_SMALL_INT(host_pin_read(self->id));
    }
    host_pin_write(self->id, mp_obj_is_true(args[1]));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(machine_pin_value_obj, 1, 2, machine_pin_value);

static const mp_rom_map_elem_t machine_pin_locals_dict_table[] = {
    { MP_ROM_QSTR(MP_QSTR_value), MP_ROM_PTR(&machine_pin_value_obj) },
    { MP_ROM_QSTR(MP_QSTR_IN), MP_ROM_INT(HOST_PIN_IN) },
    { MP_ROM_QSTR(MP_QSTR_OUT), MP_ROM_INT(HOST_PIN_OUT) },
};
static MP_DEFINE_CONST_DICT(machine_pin_locals_dict, machine_pin_locals_dict_table);

MP_DEFINE_CONST_OBJ_TYPE(
    machine_pin_type,
    MP_QSTR_Pin,
    MP_TYPE_FLAG_NONE,
    make_new, mp_pin_make_new,
    locals_dict, &machine_pin_locals_dict
    );
