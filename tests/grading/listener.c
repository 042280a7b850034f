/* listener.c: accepts TCP connections on 127.0.0.1:PORT and logs each to FILE (tests). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1]))};
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 16) != 0) {
		perror("listener");
		return 1;
	}
	for (;;) {
		int c = accept(s, NULL, NULL);
		FILE *f = fopen(argv[2], "a");
		if (f) {
			fputs("connection accepted\n", f);
			fclose(f);
		}
		if (c >= 0)
			close(c);
	}
}
