// The esp32 module of the ESP32's firmware (ports/esp32/modesp32.c): the
// flash partition the filesystem lives on (esp32.Partition), the NVS, the
// raw temperature sensor, and the deep sleep's wake-up sources. What else
// ports/esp32 has here drives hardware the simulated board does not model
// (RMT, ULP, PCNT, the IDF's heaps): those names are absent.
#include <string.h>

#include "py/runtime.h"
#include "py/objstr.h"
#include "py/mperrno.h"
#include "board_flash.h"
#include "machine_pin.h"
#include "host.h"

#if MICROPY_BOARD_ESP32

#define PARTITION_TYPE_APP (0)
#define PARTITION_TYPE_DATA (1)

typedef struct _esp32_partition_obj_t {
    mp_obj_base_t base;
} esp32_partition_obj_t;

extern const mp_obj_type_t esp32_partition_type;
static const esp32_partition_obj_t esp32_partition_vfs = { { &esp32_partition_type } };

static void esp32_partition_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    mp_printf(print, "<Partition type=%u, subtype=%u, address=%u, size=%u, label=%s, encrypted=%u>",
        PARTITION_TYPE_DATA, 0x82, 0x200000, MICROPY_HW_FLASH_STORAGE_BYTES, "vfs", 0);
}

static mp_obj_t esp32_partition_find(size_t n_args, const mp_obj_t *pos_args, mp_map_t *kw_args) {
    enum { ARG_type, ARG_subtype, ARG_label, ARG_block_size };
    static const mp_arg_t allowed_args[] = {
        { MP_QSTR_type, MP_ARG_INT, {.u_int = PARTITION_TYPE_APP} },
        { MP_QSTR_subtype, MP_ARG_INT, {.u_int = 255} },
        { MP_QSTR_label, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_block_size, MP_ARG_INT, {.u_int = BOARD_FLASH_BLOCK_SIZE} },
    };
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all(n_args, pos_args, kw_args, MP_ARRAY_SIZE(allowed_args), allowed_args, args);
    mp_obj_t list = mp_obj_new_list(0, NULL);
    bool label_ok = args[ARG_label].u_obj == mp_const_none
        || strcmp(mp_obj_str_get_str(args[ARG_label].u_obj), "vfs") == 0;
    if (args[ARG_type].u_int == PARTITION_TYPE_DATA && label_ok
        && (args[ARG_subtype].u_int == 255 || args[ARG_subtype].u_int == 0x82)) {
        mp_obj_list_append(list, MP_OBJ_FROM_PTR(&esp32_partition_vfs));
    }
    return list;
}
static MP_DEFINE_CONST_FUN_OBJ_KW(esp32_partition_find_fun_obj, 0, esp32_partition_find);
static MP_DEFINE_CONST_STATICMETHOD_OBJ(esp32_partition_find_obj, MP_ROM_PTR(&esp32_partition_find_fun_obj));

static const mp_rom_map_elem_t esp32_partition_locals_dict_table[] = {
    { MP_ROM_QSTR(MP_QSTR_find), MP_ROM_PTR(&esp32_partition_find_obj) },
    { MP_ROM_QSTR(MP_QSTR_readblocks), MP_ROM_PTR(&board_flash_readblocks_obj) },
    { MP_ROM_QSTR(MP_QSTR_writeblocks), MP_ROM_PTR(&board_flash_writeblocks_obj) },
    { MP_ROM_QSTR(MP_QSTR_ioctl), MP_ROM_PTR(&board_flash_ioctl_obj) },
    { MP_ROM_QSTR(MP_QSTR_TYPE_APP), MP_ROM_INT(PARTITION_TYPE_APP) },
    { MP_ROM_QSTR(MP_QSTR_TYPE_DATA), MP_ROM_INT(PARTITION_TYPE_DATA) },
};
static MP_DEFINE_CONST_DICT(esp32_partition_locals_dict, esp32_partition_locals_dict_table);

MP_DEFINE_CONST_OBJ_TYPE(
    esp32_partition_type,
    MP_QSTR_Partition,
    MP_TYPE_FLAG_NONE,
    print, esp32_partition_print,
    locals_dict, &esp32_partition_locals_dict
    );

// ---- the NVS ----------------------------------------------------------------

// An ESP-IDF error as ports/esp32's check_esp_err raises it (NORMAL error
// reporting): OSError(-code, 'ESP_ERR_...').
static void esp32_check_nvs(int code) {
    const char *name;
    switch (code) {
        case 0:
            return;
        case 0x1102:
            name = "ESP_ERR_NVS_NOT_FOUND";
            break;
        case 0x1108:
            name = "ESP_ERR_NVS_INVALID_NAME";
            break;
        case 0x1109:
            name = "ESP_ERR_NVS_KEY_TOO_LONG";
            break;
        case 0x110c:
            name = "ESP_ERR_NVS_INVALID_LENGTH";
            break;
        case 0x110e:
            name = "ESP_ERR_NVS_VALUE_TOO_LONG";
            break;
        default:
            name = "ESP_FAIL";
            break;
    }
    mp_obj_t args[2] = { MP_OBJ_NEW_SMALL_INT(-code), mp_obj_new_str_from_cstr(name) };
    nlr_raise(mp_obj_exception_make_new(&mp_type_OSError, 2, 0, args));
}

// NVS_KEY_NAME_MAX_SIZE, with its NUL.
#define NVS_NAME_MAX (16)

typedef struct _esp32_nvs_obj_t {
    mp_obj_base_t base;
    char namespace[NVS_NAME_MAX];
} esp32_nvs_obj_t;

extern const mp_obj_type_t esp32_nvs_type;

static void esp32_nvs_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    mp_printf(print, "<NVS namespace>");
}

static mp_obj_t esp32_nvs_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 1, 1, false);
    size_t len;
    const char *name = mp_obj_str_get_data(args[0], &len);
    if (len >= NVS_NAME_MAX) {
        esp32_check_nvs(0x1109);
    }
    esp32_nvs_obj_t *self = mp_obj_malloc(esp32_nvs_obj_t, &esp32_nvs_type);
    memcpy(self->namespace, name, len);
    self->namespace[len] = 0;
    return MP_OBJ_FROM_PTR(self);
}

static mp_obj_t esp32_nvs_set_i32(mp_obj_t self_in, mp_obj_t key_in, mp_obj_t value_in) {
    esp32_nvs_obj_t *self = MP_OBJ_TO_PTR(self_in);
    int32_t value = mp_obj_get_int(value_in);
    esp32_check_nvs(host_nvs_set(self->namespace, mp_obj_str_get_str(key_in), NVS_KIND_I32, &value, sizeof(value)));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_3(esp32_nvs_set_i32_obj, esp32_nvs_set_i32);

static mp_obj_t esp32_nvs_get_i32(mp_obj_t self_in, mp_obj_t key_in) {
    esp32_nvs_obj_t *self = MP_OBJ_TO_PTR(self_in);
    int32_t value = 0;
    size_t len = 0;
    esp32_check_nvs(host_nvs_get(self->namespace, mp_obj_str_get_str(key_in), NVS_KIND_I32, &value, sizeof(value), &len));
    return mp_obj_new_int(value);
}
static MP_DEFINE_CONST_FUN_OBJ_2(esp32_nvs_get_i32_obj, esp32_nvs_get_i32);

static mp_obj_t esp32_nvs_set_blob(mp_obj_t self_in, mp_obj_t key_in, mp_obj_t value_in) {
    esp32_nvs_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_buffer_info_t value;
    mp_get_buffer_raise(value_in, &value, MP_BUFFER_READ);
    esp32_check_nvs(host_nvs_set(self->namespace, mp_obj_str_get_str(key_in), NVS_KIND_BLOB, value.buf, value.len));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_3(esp32_nvs_set_blob_obj, esp32_nvs_set_blob);

// Reads a blob into the buffer given; returns its length.
static mp_obj_t esp32_nvs_get_blob(mp_obj_t self_in, mp_obj_t key_in, mp_obj_t value_in) {
    esp32_nvs_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_buffer_info_t value;
    mp_get_buffer_raise(value_in, &value, MP_BUFFER_WRITE);
    size_t len = 0;
    esp32_check_nvs(host_nvs_get(self->namespace, mp_obj_str_get_str(key_in), NVS_KIND_BLOB, value.buf, value.len, &len));
    return MP_OBJ_NEW_SMALL_INT(len);
}
static MP_DEFINE_CONST_FUN_OBJ_3(esp32_nvs_get_blob_obj, esp32_nvs_get_blob);

static mp_obj_t esp32_nvs_erase_key(mp_obj_t self_in, mp_obj_t key_in) {
    esp32_nvs_obj_t *self = MP_OBJ_TO_PTR(self_in);
    esp32_check_nvs(host_nvs_erase(self->namespace, mp_obj_str_get_str(key_in)));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(esp32_nvs_erase_key_obj, esp32_nvs_erase_key);

// The host stores each change as it is made: commit has nothing left to do.
static mp_obj_t esp32_nvs_commit(mp_obj_t self_in) {
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(esp32_nvs_commit_obj, esp32_nvs_commit);

static const mp_rom_map_elem_t esp32_nvs_locals_dict_table[] = {
    { MP_ROM_QSTR(MP_QSTR_get_i32), MP_ROM_PTR(&esp32_nvs_get_i32_obj) },
    { MP_ROM_QSTR(MP_QSTR_set_i32), MP_ROM_PTR(&esp32_nvs_set_i32_obj) },
    { MP_ROM_QSTR(MP_QSTR_get_blob), MP_ROM_PTR(&esp32_nvs_get_blob_obj) },
    { MP_ROM_QSTR(MP_QSTR_set_blob), MP_ROM_PTR(&esp32_nvs_set_blob_obj) },
    { MP_ROM_QSTR(MP_QSTR_erase_key), MP_ROM_PTR(&esp32_nvs_erase_key_obj) },
    { MP_ROM_QSTR(MP_QSTR_commit), MP_ROM_PTR(&esp32_nvs_commit_obj) },
};
static MP_DEFINE_CONST_DICT(esp32_nvs_locals_dict, esp32_nvs_locals_dict_table);

MP_DEFINE_CONST_OBJ_TYPE(
    esp32_nvs_type,
    MP_QSTR_NVS,
    MP_TYPE_FLAG_NONE,
    make_new, esp32_nvs_make_new,
    print, esp32_nvs_print,
    locals_dict, &esp32_nvs_locals_dict
    );

// ---- the temperature sensor ---------------------------------------------------

// The ESP32's uncalibrated sensor: a raw reading in about degrees
// Fahrenheit, well above the room's (the die is warm), a little noisy.
static mp_obj_t esp32_raw_temperature(void) {
    return MP_OBJ_NEW_SMALL_INT(126 + host_random() % 5);
}
static MP_DEFINE_CONST_FUN_OBJ_0(esp32_raw_temperature_obj, esp32_raw_temperature);

// ---- wake-up sources (for machine.deepsleep and lightsleep) -----------------------

// The ESP32's RTC GPIOs, which can wake it from deep sleep.
#define RTC_VALID_EXT_PINS ((1ll << 0) | (1ll << 2) | (1ll << 4) | (0xfll << 12) | (0x7ll << 25) | (0xffll << 32))
#define RTC_IS_VALID_EXT_PIN(pin) ((1ll << (pin)) & RTC_VALID_EXT_PINS)

// What ports/esp32 keeps in machine_rtc_config. The simulated board records
// the sources and checks them as the port does; only a sleep's timeout
// wakes it (see modmachine.c).
static struct {
    int ext0_pin;
    bool ext0_level;
    uint64_t ext1_pins;
    bool ext1_level;
    uint64_t gpio_pins;
    bool gpio_level;
    bool wake_on_touch;
    bool wake_on_ulp;
} esp32_wake = { .ext0_pin = -1 };

static mp_obj_t esp32_wake_on_touch(mp_obj_t wake) {
    if (esp32_wake.ext0_pin != -1 || esp32_wake.gpio_pins != 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("no resources"));
    }
    esp32_wake.wake_on_touch = mp_obj_is_true(wake);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(esp32_wake_on_touch_obj, esp32_wake_on_touch);

static mp_obj_t esp32_wake_on_ulp(mp_obj_t wake) {
    if (esp32_wake.ext0_pin != -1 || esp32_wake.gpio_pins != 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("no resources"));
    }
    esp32_wake.wake_on_ulp = mp_obj_is_true(wake);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(esp32_wake_on_ulp_obj, esp32_wake_on_ulp);

static mp_obj_t esp32_wake_on_ext0(size_t n_args, const mp_obj_t *pos_args, mp_map_t *kw_args) {
    if (esp32_wake.wake_on_touch) {
        mp_raise_ValueError(MP_ERROR_TEXT("no resources"));
    }
    enum { ARG_pin, ARG_level };
    const mp_arg_t allowed_args[] = {
        { MP_QSTR_pin, MP_ARG_OBJ, {.u_obj = mp_obj_new_int(esp32_wake.ext0_pin)} },
        { MP_QSTR_level, MP_ARG_BOOL, {.u_bool = esp32_wake.ext0_level} },
    };
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all(n_args, pos_args, kw_args, MP_ARRAY_SIZE(allowed_args), allowed_args, args);
    if (args[ARG_pin].u_obj == mp_const_none) {
        esp32_wake.ext0_pin = -1;
    } else {
        int pin = machine_pin_get_id(args[ARG_pin].u_obj);
        if (pin != esp32_wake.ext0_pin) {
            if (!RTC_IS_VALID_EXT_PIN(pin)) {
                mp_raise_ValueError(MP_ERROR_TEXT("invalid pin"));
            }
            esp32_wake.ext0_pin = pin;
        }
    }
    esp32_wake.ext0_level = args[ARG_level].u_bool;
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_KW(esp32_wake_on_ext0_obj, 0, esp32_wake_on_ext0);

// The pins of a sequence as a bit mask, each checked by `rtc_only`.
static uint64_t esp32_pin_mask(mp_obj_t pins_in, bool rtc_only) {
    size_t len = 0;
    mp_obj_t *pins;
    mp_obj_get_array(pins_in, &len, &pins);
    uint64_t mask = 0;
    for (size_t i = 0; i < len; ++i) {
        int pin = machine_pin_get_id(pins[i]);
        if (rtc_only && !RTC_IS_VALID_EXT_PIN(pin)) {
            mp_raise_ValueError(MP_ERROR_TEXT("invalid pin"));
        }
        mask |= 1ll << pin;
    }
    return mask;
}

static mp_obj_t esp32_wake_on_ext1(size_t n_args, const mp_obj_t *pos_args, mp_map_t *kw_args) {
    enum { ARG_pins, ARG_level };
    const mp_arg_t allowed_args[] = {
        { MP_QSTR_pins, MP_ARG_OBJ, {.u_obj = mp_const_none} },
        { MP_QSTR_level, MP_ARG_BOOL, {.u_bool = esp32_wake.ext1_level} },
    };
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all(n_args, pos_args, kw_args, MP_ARRAY_SIZE(allowed_args), allowed_args, args);
    uint64_t pins = esp32_wake.ext1_pins;
    if (args[ARG_pins].u_obj != mp_const_none) {
        pins = esp32_pin_mask(args[ARG_pins].u_obj, true);
    }
    esp32_wake.ext1_level = args[ARG_level].u_bool;
    esp32_wake.ext1_pins = pins;
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_KW(esp32_wake_on_ext1_obj, 0, esp32_wake_on_ext1);

static mp_obj_t esp32_wake_on_gpio(size_t n_args, const mp_obj_t *pos_args, mp_map_t *kw_args) {
    enum { ARG_pins, ARG_level };
    const mp_arg_t allowed_args[] = {
        { MP_QSTR_pins, MP_ARG_OBJ, {.u_obj = mp_const_none} },
        { MP_QSTR_level, MP_ARG_BOOL, {.u_bool = esp32_wake.gpio_level} },
    };
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all(n_args, pos_args, kw_args, MP_ARRAY_SIZE(allowed_args), allowed_args, args);
    if (esp32_wake.wake_on_ulp || esp32_wake.wake_on_touch) {
        mp_raise_ValueError(MP_ERROR_TEXT("no resources"));
    }
    uint64_t pins = esp32_wake.gpio_pins;
    if (args[ARG_pins].u_obj != mp_const_none) {
        // Checked when the chip goes to sleep, on the ESP32 as here.
        pins = esp32_pin_mask(args[ARG_pins].u_obj, false);
    }
    esp32_wake.gpio_level = args[ARG_level].u_bool;
    esp32_wake.gpio_pins = pins;
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_KW(esp32_wake_on_gpio_obj, 0, esp32_wake_on_gpio);

static const mp_rom_map_elem_t esp32_module_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR_esp32) },
    { MP_ROM_QSTR(MP_QSTR_wake_on_touch), MP_ROM_PTR(&esp32_wake_on_touch_obj) },
    { MP_ROM_QSTR(MP_QSTR_wake_on_ext0), MP_ROM_PTR(&esp32_wake_on_ext0_obj) },
    { MP_ROM_QSTR(MP_QSTR_wake_on_ext1), MP_ROM_PTR(&esp32_wake_on_ext1_obj) },
    { MP_ROM_QSTR(MP_QSTR_wake_on_ulp), MP_ROM_PTR(&esp32_wake_on_ulp_obj) },
    { MP_ROM_QSTR(MP_QSTR_wake_on_gpio), MP_ROM_PTR(&esp32_wake_on_gpio_obj) },
    { MP_ROM_QSTR(MP_QSTR_raw_temperature), MP_ROM_PTR(&esp32_raw_temperature_obj) },
    { MP_ROM_QSTR(MP_QSTR_NVS), MP_ROM_PTR(&esp32_nvs_type) },
    { MP_ROM_QSTR(MP_QSTR_Partition), MP_ROM_PTR(&esp32_partition_type) },
    { MP_ROM_QSTR(MP_QSTR_WAKEUP_ALL_LOW), MP_ROM_FALSE },
    { MP_ROM_QSTR(MP_QSTR_WAKEUP_ANY_HIGH), MP_ROM_TRUE },
};
static MP_DEFINE_CONST_DICT(esp32_module_globals, esp32_module_globals_table);

const mp_obj_module_t esp32_module = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&esp32_module_globals,
};

MP_REGISTER_MODULE(MP_QSTR_esp32, esp32_module);

#endif
