/* SPDX-License-Identifier: GPL-2.0 */
/* The guest program (guests/guest_main.c), linked at GUEST_CODE_GPA and embedded flat. */
#ifndef MMUBENCH_GUEST_IMAGE_H
#define MMUBENCH_GUEST_IMAGE_H

extern const unsigned char guest_image_start[];
extern const unsigned char guest_image_end[];

#endif
