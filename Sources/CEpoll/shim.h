// Linux's epoll, which Swift's Glibc module does not include; part of libc, nothing to link.
#include <sys/epoll.h>
