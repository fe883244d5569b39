/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_vlan.c - unit tests of vlan.h: port membership and the libvirt <vlan> forms */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "core/vlan.h"

/* number of member VIDs counted from the bitmap, to cross-check n_members */
static unsigned int count_members(const struct vlan_port *v)
{
	unsigned int vid, n = 0;

	for (vid = 0; vid < VLAN_N_VID; vid++)
		n += vlan_is_member(v, (uint16_t)vid);
	return n;
}

/* field by field: the struct may have padding */
static void assert_vlan_equal(const struct vlan_port *a, const struct vlan_port *b)
{
	assert_memory_equal(a->member, b->member, sizeof(a->member));
	assert_memory_equal(a->untagged, b->untagged, sizeof(a->untagged));
	assert_int_equal(a->pvid, b->pvid);
	assert_int_equal(a->n_members, b->n_members);
}

/* @v is a member of exactly the @n VIDs in @vids, untagged exactly where @untagged[i] */
static void assert_membership(const struct vlan_port *v, const uint16_t *vids, const bool *untagged,
			      unsigned int n)
{
	unsigned int vid, i;

	assert_int_equal(v->n_members, n);
	assert_int_equal(count_members(v), n);
	for (vid = 0; vid < VLAN_N_VID; vid++) {
		bool member = false, untag = false;

		for (i = 0; i < n; i++) {
			if (vids[i] == vid) {
				member = true;
				untag = untagged[i];
			}
		}
		if (vlan_is_member(v, (uint16_t)vid) != member)
			fail_msg("VID %u: member %d, expected %d", vid,
				 vlan_is_member(v, (uint16_t)vid), member);
		if (member && vlan_is_untagged(v, (uint16_t)vid) != untag)
			fail_msg("VID %u: untagged %d, expected %d", vid,
				 vlan_is_untagged(v, (uint16_t)vid), untag);
	}
}

static void rule2_init_no_membership_no_pvid(void **state)
{
	struct vlan_port v;

	(void)state;
	memset(&v, 0xff, sizeof(v));
	vlan_port_init(&v);
	assert_int_equal(v.pvid, VLAN_NO_PVID);
	assert_membership(&v, NULL, NULL, 0);
}

static void rule2_vid_range_is_1_to_4094(void **state)
{
	(void)state;
	assert_false(vlan_vid_valid(0));
	assert_true(vlan_vid_valid(1));
	assert_true(vlan_vid_valid(4094));
	assert_false(vlan_vid_valid(4095));
	assert_false(vlan_vid_valid(4096));
	assert_false(vlan_vid_valid(70000));
}

static void rule2_add_member_with_flags(void **state)
{
	static const uint16_t vids[] = { 1, 10, 4094 };
	static const bool untag[] = { false, true, false };
	struct vlan_port v;

	(void)state;
	vlan_port_init(&v);
	assert_int_equal(vlan_add(&v, 1, false, false), 0);
	assert_int_equal(v.pvid, VLAN_NO_PVID);
	assert_int_equal(vlan_add(&v, 10, true, true), 0);
	assert_int_equal(v.pvid, 10);
	assert_int_equal(vlan_add(&v, 4094, false, false), 0);
	assert_int_equal(v.pvid, 10);
	assert_membership(&v, vids, untag, 3);
}

static void rule2_add_rejects_vid_0_4095_4096(void **state)
{
	struct vlan_port v, before;

	(void)state;
	vlan_port_init(&v);
	assert_int_equal(vlan_add(&v, 5, true, true), 0);
	before = v;
	assert_int_equal(vlan_add(&v, 0, true, true), -EINVAL);
	assert_int_equal(vlan_add(&v, 4095, false, false), -EINVAL);
	assert_int_equal(vlan_add(&v, 4096, true, false), -EINVAL);
	assert_int_equal(vlan_add(&v, 0xffff, false, true), -EINVAL);
	assert_vlan_equal(&v, &before);
}

/* re-adding a member replaces its flags; the member is not counted twice */
static void rule2_add_existing_replaces_flags(void **state)
{
	static const uint16_t vids[] = { 20 };
	static const bool tagged[] = { false };
	static const bool untagged[] = { true };
	struct vlan_port v;

	(void)state;
	vlan_port_init(&v);
	assert_int_equal(vlan_add(&v, 20, true, true), 0);
	assert_int_equal(v.pvid, 20);
	assert_membership(&v, vids, untagged, 1);

	/* without pvid: the PVID is cleared, as `bridge vlan add` does */
	assert_int_equal(vlan_add(&v, 20, false, false), 0);
	assert_int_equal(v.pvid, VLAN_NO_PVID);
	assert_membership(&v, vids, tagged, 1);

	assert_int_equal(vlan_add(&v, 20, true, false), 0);
	assert_int_equal(v.pvid, 20);
	assert_membership(&v, vids, tagged, 1);

	assert_int_equal(vlan_add(&v, 20, false, true), 0);
	assert_int_equal(v.pvid, VLAN_NO_PVID);
	assert_membership(&v, vids, untagged, 1);
}

/* a new PVID replaces the old one, which stays a member */
static void rule2_add_pvid_moves_pvid(void **state)
{
	static const uint16_t vids[] = { 10, 20 };
	static const bool untag[] = { true, false };
	struct vlan_port v;

	(void)state;
	vlan_port_init(&v);
	assert_int_equal(vlan_add(&v, 10, true, true), 0);
	assert_int_equal(vlan_add(&v, 20, true, false), 0);
	assert_int_equal(v.pvid, 20);
	assert_membership(&v, vids, untag, 2);

	/* adding another VID without pvid leaves the PVID alone */
	assert_int_equal(vlan_add(&v, 30, false, false), 0);
	assert_int_equal(v.pvid, 20);
}

static void rule2_del_member_and_pvid(void **state)
{
	static const uint16_t vids[] = { 10 };
	static const bool untag[] = { false };
	struct vlan_port v, before;

	(void)state;
	vlan_port_init(&v);
	assert_int_equal(vlan_add(&v, 10, false, false), 0);
	assert_int_equal(vlan_add(&v, 20, true, true), 0);
	assert_int_equal(vlan_del(&v, 20), 0);
	assert_int_equal(v.pvid, VLAN_NO_PVID);
	assert_false(vlan_is_member(&v, 20));
	assert_membership(&v, vids, untag, 1);

	before = v;
	assert_int_equal(vlan_del(&v, 20), -ENOENT);
	assert_int_equal(vlan_del(&v, 11), -ENOENT);
	assert_int_equal(vlan_del(&v, 0), -EINVAL);
	assert_int_equal(vlan_del(&v, 4095), -EINVAL);
	assert_int_equal(vlan_del(&v, 5000), -EINVAL);
	assert_vlan_equal(&v, &before);

	assert_int_equal(vlan_del(&v, 10), 0);
	assert_membership(&v, NULL, NULL, 0);
}

/* deleting a VID that is not the PVID keeps the PVID */
static void rule2_del_other_vid_keeps_pvid(void **state)
{
	struct vlan_port v;

	(void)state;
	vlan_port_init(&v);
	assert_int_equal(vlan_add(&v, 1, true, true), 0);
	assert_int_equal(vlan_add(&v, 2, false, false), 0);
	assert_int_equal(vlan_del(&v, 2), 0);
	assert_int_equal(v.pvid, 1);
	assert_true(vlan_is_member(&v, 1));
	assert_true(vlan_is_untagged(&v, 1));
	assert_int_equal(v.n_members, 1);
}

static void rule2_every_valid_vid_can_be_added(void **state)
{
	struct vlan_port v;
	unsigned int vid;

	(void)state;
	vlan_port_init(&v);
	for (vid = VLAN_VID_MIN; vid <= VLAN_VID_MAX; vid++)
		assert_int_equal(vlan_add(&v, (uint16_t)vid, false, vid & 1), 0);
	assert_int_equal(v.n_members, 4094);
	assert_int_equal(count_members(&v), 4094);
	assert_false(vlan_is_member(&v, 0));
	assert_false(vlan_is_member(&v, 4095));
	for (vid = VLAN_VID_MIN; vid <= VLAN_VID_MAX; vid++)
		assert_int_equal(vlan_is_untagged(&v, (uint16_t)vid), vid & 1);
	for (vid = VLAN_VID_MIN; vid <= VLAN_VID_MAX; vid++)
		assert_int_equal(vlan_del(&v, (uint16_t)vid), 0);
	assert_membership(&v, NULL, NULL, 0);
}

/* a port already configured with something else, to check replacement and no-change */
static void prefill(struct vlan_port *v)
{
	vlan_port_init(v);
	assert_int_equal(vlan_add(v, 1, true, true), 0);
	assert_int_equal(vlan_add(v, 100, false, false), 0);
	assert_int_equal(vlan_add(v, 42, false, true), 0);
}

static void rule3_access_tag(void **state)
{
	static const struct vlan_spec_tag tags[] = { { 42, VLAN_NATIVE_NONE } };
	static const struct vlan_spec spec = { .trunk = false, .n_tags = 1, .tags = tags };
	static const uint16_t vids[] = { 42 };
	static const bool untag[] = { true };
	struct vlan_port v;

	(void)state;
	prefill(&v);
	assert_int_equal(vlan_apply_spec(&v, &spec), 0);
	assert_int_equal(v.pvid, 42);
	assert_membership(&v, vids, untag, 1);
}

static void rule3_trunk_two_tags_no_pvid(void **state)
{
	static const struct vlan_spec_tag tags[] = {
		{ 42, VLAN_NATIVE_NONE },
		{ 47, VLAN_NATIVE_NONE },
	};
	static const struct vlan_spec spec = { .trunk = true, .n_tags = 2, .tags = tags };
	static const uint16_t vids[] = { 42, 47 };
	static const bool untag[] = { false, false };
	struct vlan_port v;

	(void)state;
	prefill(&v);
	assert_int_equal(vlan_apply_spec(&v, &spec), 0);
	assert_int_equal(v.pvid, VLAN_NO_PVID);
	assert_membership(&v, vids, untag, 2);
}

static void rule3_two_tags_without_trunk_attr_is_trunk(void **state)
{
	static const struct vlan_spec_tag tags[] = {
		{ 42, VLAN_NATIVE_NONE },
		{ 47, VLAN_NATIVE_NONE },
	};
	static const struct vlan_spec spec = { .trunk = false, .n_tags = 2, .tags = tags };
	static const uint16_t vids[] = { 42, 47 };
	static const bool untag[] = { false, false };
	struct vlan_port v;

	(void)state;
	prefill(&v);
	assert_int_equal(vlan_apply_spec(&v, &spec), 0);
	assert_int_equal(v.pvid, VLAN_NO_PVID);
	assert_membership(&v, vids, untag, 2);
}

static void rule3_trunk_single_tag_is_tagged_no_pvid(void **state)
{
	static const struct vlan_spec_tag tags[] = { { 42, VLAN_NATIVE_NONE } };
	static const struct vlan_spec spec = { .trunk = true, .n_tags = 1, .tags = tags };
	static const uint16_t vids[] = { 42 };
	static const bool untag[] = { false };
	struct vlan_port v;

	(void)state;
	prefill(&v);
	assert_int_equal(vlan_apply_spec(&v, &spec), 0);
	assert_int_equal(v.pvid, VLAN_NO_PVID);
	assert_membership(&v, vids, untag, 1);
}

static void rule3_native_untagged_is_pvid_untagged(void **state)
{
	static const struct vlan_spec_tag tags[] = {
		{ 42, VLAN_NATIVE_NONE },
		{ 47, VLAN_NATIVE_UNTAGGED },
		{ 50, VLAN_NATIVE_NONE },
	};
	static const struct vlan_spec spec = { .trunk = true, .n_tags = 3, .tags = tags };
	static const uint16_t vids[] = { 42, 47, 50 };
	static const bool untag[] = { false, true, false };
	struct vlan_port v;

	(void)state;
	prefill(&v);
	assert_int_equal(vlan_apply_spec(&v, &spec), 0);
	assert_int_equal(v.pvid, 47);
	assert_membership(&v, vids, untag, 3);
}

static void rule3_native_tagged_is_pvid_tagged(void **state)
{
	static const struct vlan_spec_tag tags[] = {
		{ 42, VLAN_NATIVE_TAGGED },
		{ 47, VLAN_NATIVE_NONE },
	};
	static const struct vlan_spec spec = { .trunk = true, .n_tags = 2, .tags = tags };
	static const uint16_t vids[] = { 42, 47 };
	static const bool untag[] = { false, false };
	struct vlan_port v;

	(void)state;
	prefill(&v);
	assert_int_equal(vlan_apply_spec(&v, &spec), 0);
	assert_int_equal(v.pvid, 42);
	assert_membership(&v, vids, untag, 2);
}

static void rule3_edge_vids_accepted(void **state)
{
	static const struct vlan_spec_tag tags[] = {
		{ 1, VLAN_NATIVE_NONE },
		{ 4094, VLAN_NATIVE_UNTAGGED },
	};
	static const struct vlan_spec spec = { .trunk = true, .n_tags = 2, .tags = tags };
	static const uint16_t vids[] = { 1, 4094 };
	static const bool untag[] = { false, true };
	struct vlan_port v;

	(void)state;
	prefill(&v);
	assert_int_equal(vlan_apply_spec(&v, &spec), 0);
	assert_int_equal(v.pvid, 4094);
	assert_membership(&v, vids, untag, 2);
}

static void check_spec_rejected(const struct vlan_spec *spec)
{
	struct vlan_port v, before;

	prefill(&v);
	before = v;
	assert_int_equal(vlan_apply_spec(&v, spec), -EINVAL);
	assert_vlan_equal(&v, &before);
}

static void rule3_error_no_tag(void **state)
{
	static const struct vlan_spec_tag tags[] = { { 42, VLAN_NATIVE_NONE } };
	static const struct vlan_spec none = { .trunk = false, .n_tags = 0, .tags = NULL };
	static const struct vlan_spec trunk_none = { .trunk = true, .n_tags = 0, .tags = tags };

	(void)state;
	check_spec_rejected(&none);
	check_spec_rejected(&trunk_none);
}

static void rule3_error_vid_out_of_range(void **state)
{
	static const struct vlan_spec_tag t0[] = { { 0, VLAN_NATIVE_NONE } };
	static const struct vlan_spec_tag t4095[] = { { 4095, VLAN_NATIVE_NONE } };
	static const struct vlan_spec_tag t4096[] = { { 4096, VLAN_NATIVE_NONE } };
	/* the bad VID comes after a good one: nothing may be half applied */
	static const struct vlan_spec_tag late[] = {
		{ 42, VLAN_NATIVE_UNTAGGED },
		{ 47, VLAN_NATIVE_NONE },
		{ 4095, VLAN_NATIVE_NONE },
	};
	static const struct vlan_spec s0 = { .trunk = false, .n_tags = 1, .tags = t0 };
	static const struct vlan_spec s4095 = { .trunk = false, .n_tags = 1, .tags = t4095 };
	static const struct vlan_spec s4096 = { .trunk = true, .n_tags = 1, .tags = t4096 };
	static const struct vlan_spec slate = { .trunk = true, .n_tags = 3, .tags = late };

	(void)state;
	check_spec_rejected(&s0);
	check_spec_rejected(&s4095);
	check_spec_rejected(&s4096);
	check_spec_rejected(&slate);
}

static void rule3_error_two_native_modes(void **state)
{
	static const struct vlan_spec_tag uu[] = {
		{ 42, VLAN_NATIVE_UNTAGGED },
		{ 47, VLAN_NATIVE_UNTAGGED },
	};
	static const struct vlan_spec_tag ut[] = {
		{ 42, VLAN_NATIVE_UNTAGGED },
		{ 47, VLAN_NATIVE_NONE },
		{ 48, VLAN_NATIVE_TAGGED },
	};
	static const struct vlan_spec_tag tt[] = {
		{ 42, VLAN_NATIVE_TAGGED },
		{ 47, VLAN_NATIVE_TAGGED },
	};
	static const struct vlan_spec suu = { .trunk = true, .n_tags = 2, .tags = uu };
	static const struct vlan_spec sut = { .trunk = true, .n_tags = 3, .tags = ut };
	static const struct vlan_spec stt = { .trunk = true, .n_tags = 2, .tags = tt };

	(void)state;
	check_spec_rejected(&suu);
	check_spec_rejected(&sut);
	check_spec_rejected(&stt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rule2_init_no_membership_no_pvid),
		cmocka_unit_test(rule2_vid_range_is_1_to_4094),
		cmocka_unit_test(rule2_add_member_with_flags),
		cmocka_unit_test(rule2_add_rejects_vid_0_4095_4096),
		cmocka_unit_test(rule2_add_existing_replaces_flags),
		cmocka_unit_test(rule2_add_pvid_moves_pvid),
		cmocka_unit_test(rule2_del_member_and_pvid),
		cmocka_unit_test(rule2_del_other_vid_keeps_pvid),
		cmocka_unit_test(rule2_every_valid_vid_can_be_added),
		cmocka_unit_test(rule3_access_tag),
		cmocka_unit_test(rule3_trunk_two_tags_no_pvid),
		cmocka_unit_test(rule3_two_tags_without_trunk_attr_is_trunk),
		cmocka_unit_test(rule3_trunk_single_tag_is_tagged_no_pvid),
		cmocka_unit_test(rule3_native_untagged_is_pvid_untagged),
		cmocka_unit_test(rule3_native_tagged_is_pvid_tagged),
		cmocka_unit_test(rule3_edge_vids_accepted),
		cmocka_unit_test(rule3_error_no_tag),
		cmocka_unit_test(rule3_error_vid_out_of_range),
		cmocka_unit_test(rule3_error_two_native_modes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
