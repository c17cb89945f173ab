#include "CInterruptCleanup.h"

#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

enum { SLOTS = 64, PATH_CAPACITY = 4096 };
enum { FREE = 0, FILLING = 1, READY = 2 };

static atomic_int slot_state[SLOTS];
static char slot_path[SLOTS][PATH_CAPACITY];
static atomic_flag installed = ATOMIC_FLAG_INIT;
static const int handled_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

int icu_register(const char *path) {
    size_t length = strlen(path);
    if (length >= PATH_CAPACITY) return -1;
    for (int slot = 0; slot < SLOTS; slot++) {
        int expected = FREE;
        if (atomic_compare_exchange_strong(&slot_state[slot], &expected, FILLING)) {
            memcpy(slot_path[slot], path, length + 1);
            atomic_store(&slot_state[slot], READY);
            return slot;
        }
    }
    return -1;
}

void icu_unregister(int slot) {
    if (slot >= 0 && slot < SLOTS) atomic_store(&slot_state[slot], FREE);
}

void icu_remove_registered(void) {
    for (int slot = 0; slot < SLOTS; slot++) {
        if (atomic_load(&slot_state[slot]) == READY) unlink(slot_path[slot]);
    }
}

static void remove_and_die(int signal_number) {
    icu_remove_registered();
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    sigaction(signal_number, &action, NULL);
    raise(signal_number);
}

void icu_install_handlers(void) {
    if (atomic_flag_test_and_set(&installed)) return;
    for (size_t i = 0; i < sizeof handled_signals / sizeof handled_signals[0]; i++) {
        struct sigaction previous;
        if (sigaction(handled_signals[i], NULL, &previous) != 0 || previous.sa_handler == SIG_IGN) continue;
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = remove_and_die;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESETHAND;
        sigaction(handled_signals[i], &action, NULL);
    }
}
