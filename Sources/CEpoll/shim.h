// Linux interfaces that Swift's Glibc module leaves out, for CourierTransport's EventLoop; all
// in libc, nothing to link: epoll, and naming the loop's thread.
//
// No _GNU_SOURCE here: the system headers must be seen exactly as SwiftGlibc sees them (with it,
// `fd_set` differs between the two modules and the build fails), so the one GNU function used
// is declared by hand.
#include <pthread.h>
#include <sys/epoll.h>

extern int pthread_setname_np(pthread_t thread, const char *name);
