/* guard.h: runs a reading command's database work in a child process, so damage is reported, not a crash. */
#ifndef FD_GUARD_H
#define FD_GUARD_H

/*
 * LMDB trusts the pages it maps: one damaged byte in data.mdb can make it
 * fault. guard_reader forks before the database in dir is opened and returns
 * 0 in the child, which does the reading and writes the output. The parent
 * never opens the database: it waits, and exits with the child's status; if
 * the child died of a fault, it checks the file's pages with pread and says
 * which part is damaged (EXIT_PROBLEM). Other signals end the parent as they
 * ended the child; the child dies with the parent. -1 (cause set) if no
 * child could be started.
 */
int guard_reader(const char *dir, char **cause);

#endif
