/* fdatasync_loop.c: the floor under any durable store: append one record, fdatasync, repeat. */
#include <fcntl.h>
#include <unistd.h>

#include "durable.h"

int
main(int argc, char **argv)
{
	struct loop_args a;
	unsigned char *rec;
	char path[4096];
	double t0, t1;
	int fd;

	loop_parse(&a, argc, argv);
	rec = malloc(a.size);
	if (rec == NULL)
		loop_die(&a, "malloc", strerror(errno));
	snprintf(path, sizeof path, "%s/raw.log", a.dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		loop_die(&a, path, strerror(errno));

	t0 = now_seconds();
	for (uint64_t seq = 1; seq <= a.n; seq++) {
		size_t off = 0;

		fill_record(rec, a.size, seq);
		while (off < a.size) {
			ssize_t w = write(fd, rec + off, a.size - off);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				loop_die(&a, "write", strerror(errno));
			off += (size_t)w;
		}
		if (fdatasync(fd) < 0)
			loop_die(&a, "fdatasync", strerror(errno));
	}
	t1 = now_seconds();

	loop_report(&a, "fdatasync", t1 - t0);
	close(fd);
	free(rec);
	return 0;
}
