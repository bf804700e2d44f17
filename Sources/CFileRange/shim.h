/* sync_file_range(2): Swift's Glibc module is built without _GNU_SOURCE, so it lacks the
 * declaration. Linux only; the flag values are the kernel's ABI. */
#ifdef __linux__
#include <sys/types.h>

extern int sync_file_range(int fd, off_t offset, off_t nbytes, unsigned int flags);

static const unsigned int CFileRangeWaitBefore = 1; /* SYNC_FILE_RANGE_WAIT_BEFORE */
static const unsigned int CFileRangeWrite = 2;      /* SYNC_FILE_RANGE_WRITE */
static const unsigned int CFileRangeWaitAfter = 4;  /* SYNC_FILE_RANGE_WAIT_AFTER */
#endif
