#include "CInterruptCleanup.h"

#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#ifdef _WIN32
#include <io.h>
#else
#include <unistd.h>
#endif

enum { SLOTS = 64, PATH_CAPACITY = 4096 };
enum { FREE = 0, FILLING = 1, READY = 2 };

static atomic_int slot_state[SLOTS];
static char slot_path[SLOTS][PATH_CAPACITY];
static atomic_flag installed = ATOMIC_FLAG_INIT;
#ifdef _WIN32
// Windows (the UCRT) has no sigaction, SIGHUP or SIGQUIT: Ctrl-C (SIGINT), Ctrl-Break (SIGBREAK)
// and SIGTERM through signal(), whose handler the UCRT runs on a thread of its own and resets to
// the default before calling it. Closing the console window or logging off (CTRL_CLOSE_EVENT,
// which would need SetConsoleCtrlHandler) is not handled. Unverified: compiled only against
// MinGW-w64's headers (Scripts/cross-check.sh), never with Swift for Windows.
static const int handled_signals[] = {SIGINT, SIGBREAK, SIGTERM};
#define unlink _unlink
#else
static const int handled_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#endif

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

#ifdef _WIN32
static void remove_and_die(int signal_number) {
    icu_remove_registered();
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}

void icu_install_handlers(void) {
    if (atomic_flag_test_and_set(&installed)) return;
    for (size_t i = 0; i < sizeof handled_signals / sizeof handled_signals[0]; i++) {
        void (*previous)(int) = signal(handled_signals[i], remove_and_die);
        if (previous == SIG_IGN) signal(handled_signals[i], SIG_IGN);
    }
}
#else
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
#endif
