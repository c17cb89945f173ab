#ifndef CINTERRUPTCLEANUP_H
#define CINTERRUPTCLEANUP_H

/*
 * Temporary files that an interrupted process removes before it dies.
 *
 * SSIMFormats writes each output to a temporary file and renames it into place. If SIGINT,
 * SIGTERM, SIGHUP or SIGQUIT arrives in between, the handler installed by
 * icu_install_handlers unlinks every registered temporary file, restores the signal's default
 * action and raises it again, so the process still dies of that signal (exit status 130 for
 * Ctrl-C in a shell). The handler calls only async-signal-safe functions (unlink, sigaction,
 * raise) and reads the registry through atomics; registering never allocates.
 *
 * SIGKILL and power loss cannot be caught: they may leave a temporary file behind, never a
 * partial file under the output's name.
 *
 * Windows (unverified: compiled only against MinGW-w64's headers): no sigaction, SIGHUP or
 * SIGQUIT; Ctrl-C, Ctrl-Break and SIGTERM are handled through signal(), closing the console
 * window is not.
 */

/* Installs the handlers (once; later calls do nothing). Signals the process ignores stay ignored. */
void icu_install_handlers(void);

/* Registers a temporary file; returns its slot, or -1 when every slot is taken or the path is
 * too long (the file then simply is not removed on interrupt). */
int icu_register(const char *path);

/* Forgets the file in `slot` (after it was renamed or unlinked). Ignores -1. */
void icu_unregister(int slot);

/* Unlinks every registered file: what the handler does before the process dies. */
void icu_remove_registered(void);

#endif
