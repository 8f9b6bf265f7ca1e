// Linux interfaces that Swift's Glibc module leaves out, for CourierTransport's EventLoop; all
// in libc, nothing to link: epoll, and naming the loop's thread.
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <sys/epoll.h>
