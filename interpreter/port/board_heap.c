// ESP-IDF's heap, as the ESP32 port's GC grows into it.
//
// The ESP32 port starts with a 56 KB GC heap taken from ESP-IDF's heap and
// lets the GC add areas on demand (MICROPY_GC_SPLIT_HEAP_AUTO): when an
// allocation does not fit, py/gc.c asks gc_get_max_new_split() for the
// largest block ESP-IDF could give and adds an area of up to that size
// (MP_PLAT_ALLOC_HEAP); an area that empties is given back at the next
// collection (MP_PLAT_FREE_HEAP). Here the internal RAM that ESP-IDF has free
// once MicroPython's first heap is taken is a static pool of that size, and
// areas are carved from it first fit.
#include <string.h>

#include "py/mpconfig.h"

#if MICROPY_BOARD_ESP32

#include "py/gc.h"

#define BOARD_HEAP_ALIGN (16)
// More areas than the pool could ever hold at the GC's sizes (each added
// area is at least 2 KB, and the heap doubles at each growth).
#define BOARD_HEAP_MAX_AREAS (16)

static uint8_t idf_free_ram[MICROPY_BOARD_IDF_FREE_HEAP_BYTES] __attribute__((aligned(BOARD_HEAP_ALIGN)));

// The blocks given out, in address order.
typedef struct {
    size_t offset;
    size_t size;
} board_heap_block_t;

static board_heap_block_t board_heap_blocks[BOARD_HEAP_MAX_AREAS];
static size_t board_heap_count;

// Where the gap before block `i` (or before the pool's end) starts and ends.
static size_t gap_start(size_t i) {
    return i == 0 ? 0 : board_heap_blocks[i - 1].offset + board_heap_blocks[i - 1].size;
}

static size_t gap_end(size_t i) {
    return i < board_heap_count ? board_heap_blocks[i].offset : sizeof(idf_free_ram);
}

void *board_heap_alloc(size_t size) {
    size = (size + BOARD_HEAP_ALIGN - 1) & ~(size_t)(BOARD_HEAP_ALIGN - 1);
    if (board_heap_count == BOARD_HEAP_MAX_AREAS) {
        return NULL;
    }
    for (size_t i = 0; i <= board_heap_count; i++) {
        size_t start = gap_start(i);
        if (gap_end(i) - start >= size) {
            memmove(&board_heap_blocks[i + 1], &board_heap_blocks[i],
                (board_heap_count - i) * sizeof(board_heap_block_t));
            board_heap_blocks[i].offset = start;
            board_heap_blocks[i].size = size;
            board_heap_count++;
            return idf_free_ram + start;
        }
    }
    return NULL;
}

void board_heap_free(void *ptr) {
    for (size_t i = 0; i < board_heap_count; i++) {
        if (idf_free_ram + board_heap_blocks[i].offset == (uint8_t *)ptr) {
            board_heap_count--;
            memmove(&board_heap_blocks[i], &board_heap_blocks[i + 1],
                (board_heap_count - i) * sizeof(board_heap_block_t));
            return;
        }
    }
}

// heap_caps_get_largest_free_block(), as ports/esp32/gccollect.c asks it.
size_t gc_get_max_new_split(void) {
    if (board_heap_count == BOARD_HEAP_MAX_AREAS) {
        return 0;
    }
    size_t largest = 0;
    for (size_t i = 0; i <= board_heap_count; i++) {
        size_t gap = gap_end(i) - gap_start(i);
        if (gap > largest) {
            largest = gap;
        }
    }
    return largest;
}

#endif // MICROPY_BOARD_ESP32
