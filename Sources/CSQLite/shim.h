// SQLite, and the few C calls LedgerSQLite needs that Swift cannot make directly.
#include <pthread.h>
#include <sqlite3.h>

/// Turns off SQLite's memory statistics for the process: with them on (the default), every
/// allocation SQLite makes takes a process-wide mutex to count it. Takes effect only before
/// SQLite initializes (the first connection opened); returns SQLITE_MISUSE after.
/// (`sqlite3_config` is variadic, which Swift cannot call.)
static inline int ledger_sqlite_disable_memory_statistics(void) {
  return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/// Names the calling thread (at most 15 bytes). Declared by hand: the GNU prototype needs
/// _GNU_SOURCE, which would make the system headers differ from what SwiftGlibc sees.
extern int pthread_setname_np(pthread_t thread, const char *name);
static inline int ledger_sqlite_name_this_thread(const char *name) {
  return pthread_setname_np(pthread_self(), name);
}
