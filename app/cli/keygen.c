/* cli/keygen: eleva keygen — print a new random key for SESSION_KEYS, WEBHOOK_SECRET or ELEVA_IDENTITY_KEY. */
#include <stdio.h>

#include "lib/crypt.h"
#include "cli/cli.h"

int
cli_keygen_main(int argc, char **argv)
{
	char key[64];

	(void)argv;
	if (argc != 1) {
		fputs("usage: eleva keygen\n", stderr);
		return 2;
	}
	if (crypt_keygen(key, sizeof(key)) == -1) {
		fputs("eleva keygen: no random bytes\n", stderr);
		return 1;
	}
	puts(key);
	return 0;
}
