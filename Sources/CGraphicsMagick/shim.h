#include <stdio.h>
#include <sys/types.h>
#include <magick/api.h>
