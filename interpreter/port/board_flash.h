#ifndef BOARDLAB_BOARD_FLASH_H
#define BOARDLAB_BOARD_FLASH_H

#include "py/obj.h"

// A flash sector: what one erase clears (4 KiB on the Pico's and the ESP32's flash).
#define BOARD_FLASH_BLOCK_SIZE (4096)

MP_DECLARE_CONST_FUN_OBJ_VAR_BETWEEN(board_flash_readblocks_obj);
MP_DECLARE_CONST_FUN_OBJ_VAR_BETWEEN(board_flash_writeblocks_obj);
MP_DECLARE_CONST_FUN_OBJ_3(board_flash_ioctl_obj);

#endif
