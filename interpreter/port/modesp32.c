// The esp32 module of the ESP32's firmware: the flash partition the
// filesystem lives on (esp32.Partition). What else ports/esp32 has here
// drives the chip's own hardware (NVS, ULP, RMT...).
#include "py/runtime.h"
#include "py/objstr.h"
#include "board_flash.h"

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

static const mp_rom_map_elem_t esp32_module_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR_esp32) },
    { MP_ROM_QSTR(MP_QSTR_Partition), MP_ROM_PTR(&esp32_partition_type) },
};
static MP_DEFINE_CONST_DICT(esp32_module_globals, esp32_module_globals_table);

const mp_obj_module_t esp32_module = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&esp32_module_globals,
};

MP_REGISTER_MODULE(MP_QSTR_esp32, esp32_module);

#endif
