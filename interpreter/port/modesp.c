// The esp module of the ESP32's firmware (ports/esp32/modesp.c): the raw
// flash, and the IDF's log level. The flash is the DevKit's 4 MiB; of it,
// the host keeps the filesystem's partition (from flash_user_start()); the
// bootloader, partition table, NVS and firmware before it read erased here,
// and writes there change nothing.
#include "py/runtime.h"
#include "py/mperrno.h"
#include "board_flash.h"
#include "host.h"

#if MICROPY_BOARD_ESP32

#define ESP_FLASH_SIZE (4 * 1024 * 1024)
#define ESP_FLASH_USER_START (0x200000)

// ESP-IDF's log levels (esp_log_level_t).
#define ESP_LOG_NONE (0)
#define ESP_LOG_ERROR (1)
#define ESP_LOG_WARN (2)
#define ESP_LOG_INFO (3)
#define ESP_LOG_DEBUG (4)
#define ESP_LOG_VERBOSE (5)

// What the IDF logs goes nowhere on the simulated board: it has no IDF.
static mp_obj_t esp_osdebug(size_t n_args, const mp_obj_t *args) {
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(esp_osdebug_obj, 1, 2, esp_osdebug);

// esp_flash_read/write refuse a range past the flash's end.
static void esp_flash_check(mp_int_t offset, size_t len) {
    if (offset < 0 || offset + (mp_int_t)len > ESP_FLASH_SIZE) {
        mp_raise_OSError(MP_EIO);
    }
}

static mp_obj_t esp_flash_read_(mp_obj_t offset_in, mp_obj_t buf_in) {
    mp_int_t offset = mp_obj_get_int(offset_in);
    mp_buffer_info_t bufinfo;
    mp_get_buffer_raise(buf_in, &bufinfo, MP_BUFFER_WRITE);
    esp_flash_check(offset, bufinfo.len);
    uint8_t *buf = bufinfo.buf;
    for (size_t i = 0; i < bufinfo.len; ++i) {
        if (offset + (mp_int_t)i >= ESP_FLASH_USER_START) {
            host_flash_read(offset + i - ESP_FLASH_USER_START, buf + i, bufinfo.len - i);
            break;
        }
        buf[i] = 0xff;
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(esp_flash_read_obj, esp_flash_read_);

static mp_obj_t esp_flash_write_(mp_obj_t offset_in, mp_obj_t buf_in) {
    mp_int_t offset = mp_obj_get_int(offset_in);
    mp_buffer_info_t bufinfo;
    mp_get_buffer_raise(buf_in, &bufinfo, MP_BUFFER_READ);
    esp_flash_check(offset, bufinfo.len);
    mp_int_t skip = offset < ESP_FLASH_USER_START ? ESP_FLASH_USER_START - offset : 0;
    if (skip < (mp_int_t)bufinfo.len) {
        host_flash_write(offset + skip - ESP_FLASH_USER_START, (const uint8_t *)bufinfo.buf + skip, bufinfo.len - skip);
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(esp_flash_write_obj, esp_flash_write_);

static mp_obj_t esp_flash_erase(mp_obj_t sector_in) {
    mp_int_t sector = mp_obj_get_int(sector_in);
    esp_flash_check(sector * BOARD_FLASH_BLOCK_SIZE, BOARD_FLASH_BLOCK_SIZE);
    if (sector * BOARD_FLASH_BLOCK_SIZE >= ESP_FLASH_USER_START) {
        host_flash_erase(sector * BOARD_FLASH_BLOCK_SIZE - ESP_FLASH_USER_START, BOARD_FLASH_BLOCK_SIZE);
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(esp_flash_erase_obj, esp_flash_erase);

static mp_obj_t esp_flash_size(void) {
    return mp_obj_new_int_from_uint(ESP_FLASH_SIZE);
}
static MP_DEFINE_CONST_FUN_OBJ_0(esp_flash_size_obj, esp_flash_size);

static mp_obj_t esp_flash_user_start(void) {
    return MP_OBJ_NEW_SMALL_INT(ESP_FLASH_USER_START);
}
static MP_DEFINE_CONST_FUN_OBJ_0(esp_flash_user_start_obj, esp_flash_user_start);

// Routing peripheral signals through the GPIO matrix: the simulated
// board's peripherals are on their pins already.
static mp_obj_t esp_gpio_matrix_in(mp_obj_t pin, mp_obj_t sig, mp_obj_t inv) {
    mp_obj_get_int(pin);
    mp_obj_get_int(sig);
    mp_obj_get_int(inv);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_3(esp_gpio_matrix_in_obj, esp_gpio_matrix_in);

static mp_obj_t esp_gpio_matrix_out(size_t n_args, const mp_obj_t *args) {
    for (size_t i = 0; i < n_args; ++i) {
        mp_obj_get_int(args[i]);
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(esp_gpio_matrix_out_obj, 4, 4, esp_gpio_matrix_out);

static const mp_rom_map_elem_t esp_module_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR_esp) },
    { MP_ROM_QSTR(MP_QSTR_osdebug), MP_ROM_PTR(&esp_osdebug_obj) },
    { MP_ROM_QSTR(MP_QSTR_flash_read), MP_ROM_PTR(&esp_flash_read_obj) },
    { MP_ROM_QSTR(MP_QSTR_flash_write), MP_ROM_PTR(&esp_flash_write_obj) },
    { MP_ROM_QSTR(MP_QSTR_flash_erase), MP_ROM_PTR(&esp_flash_erase_obj) },
    { MP_ROM_QSTR(MP_QSTR_flash_size), MP_ROM_PTR(&esp_flash_size_obj) },
    { MP_ROM_QSTR(MP_QSTR_flash_user_start), MP_ROM_PTR(&esp_flash_user_start_obj) },
    { MP_ROM_QSTR(MP_QSTR_gpio_matrix_in), MP_ROM_PTR(&esp_gpio_matrix_in_obj) },
    { MP_ROM_QSTR(MP_QSTR_gpio_matrix_out), MP_ROM_PTR(&esp_gpio_matrix_out_obj) },
    { MP_ROM_QSTR(MP_QSTR_LOG_NONE), MP_ROM_INT(ESP_LOG_NONE) },
    { MP_ROM_QSTR(MP_QSTR_LOG_ERROR), MP_ROM_INT(ESP_LOG_ERROR) },
    { MP_ROM_QSTR(MP_QSTR_LOG_WARNING), MP_ROM_INT(ESP_LOG_WARN) },
    { MP_ROM_QSTR(MP_QSTR_LOG_INFO), MP_ROM_INT(ESP_LOG_INFO) },
    { MP_ROM_QSTR(MP_QSTR_LOG_DEBUG), MP_ROM_INT(ESP_LOG_DEBUG) },
    { MP_ROM_QSTR(MP_QSTR_LOG_VERBOSE), MP_ROM_INT(ESP_LOG_VERBOSE) },
};
static MP_DEFINE_CONST_DICT(esp_module_globals, esp_module_globals_table);

const mp_obj_module_t esp_module = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&esp_module_globals,
};

MP_REGISTER_MODULE(MP_QSTR_esp, esp_module);

#endif
