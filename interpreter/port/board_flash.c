// The flash block device that the filesystem (littlefs v2) is mounted on:
// rp2.Flash on the Picos, esp32.Partition's "vfs" partition on the ESP32.
// Its blocks are the board's flash sectors; the host keeps their bytes.
// The methods follow MicroPython's block device protocol (extmod/vfs.h).
#include "py/runtime.h"
#include "py/mperrno.h"
#include "extmod/vfs.h"
#include "board_flash.h"
#include "host.h"

static void check_range(mp_int_t block, mp_int_t offset, size_t len) {
    mp_int_t start = block * BOARD_FLASH_BLOCK_SIZE + offset;
    if (block < 0 || offset < 0 || start + (mp_int_t)len > MICROPY_HW_FLASH_STORAGE_BYTES) {
        mp_raise_OSError(MP_EINVAL);
    }
}

mp_obj_t board_flash_readblocks(size_t n_args, const mp_obj_t *args) {
    mp_int_t block = mp_obj_get_int(args[1]);
    mp_buffer_info_t buf;
    mp_get_buffer_raise(args[2], &buf, MP_BUFFER_WRITE);
    mp_int_t offset = n_args == 4 ? mp_obj_get_int(args[3]) : 0;
    check_range(block, offset, buf.len);
    host_flash_read(block * BOARD_FLASH_BLOCK_SIZE + offset, buf.buf, buf.len);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(board_flash_readblocks_obj, 3, 4, board_flash_readblocks);

mp_obj_t board_flash_writeblocks(size_t n_args, const mp_obj_t *args) {
    mp_int_t block = mp_obj_get_int(args[1]);
    mp_buffer_info_t buf;
    mp_get_buffer_raise(args[2], &buf, MP_BUFFER_READ);
    if (n_args == 3) {
        // The simple protocol: erase the blocks, then write them whole.
        check_range(block, 0, buf.len);
        size_t whole = (buf.len + BOARD_FLASH_BLOCK_SIZE - 1) / BOARD_FLASH_BLOCK_SIZE;
        host_flash_erase(block * BOARD_FLASH_BLOCK_SIZE, whole * BOARD_FLASH_BLOCK_SIZE);
        host_flash_write(block * BOARD_FLASH_BLOCK_SIZE, buf.buf, buf.len);
    } else {
        // The extended protocol (littlefs): erasing is ioctl's job.
        mp_int_t offset = mp_obj_get_int(args[3]);
        check_range(block, offset, buf.len);
        host_flash_write(block * BOARD_FLASH_BLOCK_SIZE + offset, buf.buf, buf.len);
    }
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(board_flash_writeblocks_obj, 3, 4, board_flash_writeblocks);

mp_obj_t board_flash_ioctl(mp_obj_t self_in, mp_obj_t cmd_in, mp_obj_t arg_in) {
    switch (mp_obj_get_int(cmd_in)) {
        case MP_BLOCKDEV_IOCTL_INIT:
        case MP_BLOCKDEV_IOCTL_DEINIT:
        case MP_BLOCKDEV_IOCTL_SYNC:
            return MP_OBJ_NEW_SMALL_INT(0);
        case MP_BLOCKDEV_IOCTL_BLOCK_COUNT:
            return MP_OBJ_NEW_SMALL_INT(MICROPY_HW_FLASH_STORAGE_BYTES / BOARD_FLASH_BLOCK_SIZE);
        case MP_BLOCKDEV_IOCTL_BLOCK_SIZE:
            return MP_OBJ_NEW_SMALL_INT(BOARD_FLASH_BLOCK_SIZE);
        case MP_BLOCKDEV_IOCTL_BLOCK_ERASE: {
            mp_int_t block = mp_obj_get_int(arg_in);
            check_range(block, 0, BOARD_FLASH_BLOCK_SIZE);
            host_flash_erase(block * BOARD_FLASH_BLOCK_SIZE, BOARD_FLASH_BLOCK_SIZE);
            return MP_OBJ_NEW_SMALL_INT(0);
        }
        default:
            return mp_const_none;
    }
}
MP_DEFINE_CONST_FUN_OBJ_3(board_flash_ioctl_obj, board_flash_ioctl);
