%% SPDX-License-Identifier: ISC
%% @doc The namespaces and mounts calls: one case per call (success and failure path), the
%% host-namespace cases that need root (group `root'), and a container built the rootless way
%% by a user with no privilege at all (group `unprivileged', which bin/test runs again as an
%% unprivileged user).
%%
%% Calls that need a capability get it the way a rootless container does: from a child in a
%% new user namespace, with the caller's uid and gid mapped to 0. Every mount is made inside
%% such a child's own mount namespace (after making its tree private), except in the `root'
%% group; end_per_testcase fails a case that leaves a mount visible to the BEAM.
%%
%% No verdict depends on timing.
-module(nook_ns_SUITE).

%% unprivileged: yes

-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").

-export([all/0, groups/0, suite/0, init_per_group/2, end_per_group/2, init_per_testcase/2,
         end_per_testcase/2]).
%% calls.def
-export([chroot/1, gethostname/1, mount/1, pivot_root/1, sethostname/1, setns/1, umount/1,
         umount2/1, unshare/1]).
%% group root
-export([host_chroot/1, host_setns_uts/1, host_mount_tmpfs/1]).
%% group unprivileged
-export([container_init/1, container_hostname/1, container_tmpfs/1, container_ro_bind/1,
         container_pivot_root/1, container_net/1]).

%% The namespaces of the rootless container; clone_newuser is always added.
-define(CONTAINER, [clone_newns, clone_newpid, clone_newuts, clone_newipc]).
%% Longest name the kernel keeps for a host (HOST_NAME_MAX).
-define(HOST_NAME_MAX, 64).

suite() -> [{timetrap, {seconds, 60}}].

all() ->
    [chroot, gethostname, mount, pivot_root, sethostname, setns, umount, umount2, unshare,
     {group, root}, {group, unprivileged}].

groups() ->
    [{root, [], [host_chroot, host_setns_uts, host_mount_tmpfs]},
     {unprivileged, [], [container_init, container_hostname, container_tmpfs,
                         container_ro_bind, container_pivot_root, container_net]}].

init_per_group(root, Config) ->
    nook_test_lib:root_or_skip(Config);
init_per_group(unprivileged, Config) ->
    {ok, Root} = nook:fork(),
    Probe = nook:clone(Root, [clone_newuser, clone_newnet | ?CONTAINER]),
    ok = nook:stop(Root),
    case Probe of
        {ok, _} -> Config;
        {error, Error} -> {skip, userns_refused(Error)}
    end.

end_per_group(_Group, _Config) -> ok.

init_per_testcase(Case, Config) ->
    %% A directory of the case's own, created by the test so that the user running it owns it.
    Dir = filename:join(?config(priv_dir, Config), atom_to_list(Case)),
    ok = file:make_dir(Dir),
    {ok, Root} = nook:fork(),
    [{root, Root}, {dir, Dir} | Config].

end_per_testcase(_Case, Config) ->
    ok = nook:stop(?config(root, Config)),
    %% The processes are gone, and their mount namespaces with them: anything left under
    %% priv_dir is in the BEAM's namespace, a leak.
    case mounts_under(?config(priv_dir, Config)) of
        [] ->
            ok;
        Leaked ->
            [os:cmd("umount -l '" ++ M ++ "'") || M <- lists:reverse(lists:sort(Leaked))],
            {fail, {mounts_left_on_host, Leaked}}
    end.

%% ---- calls.def ----

chroot(Config) ->
    T = ?config(root, Config),
    ?assertEqual({error, enoent}, nook:chroot(T, "/nonexistent-nook-dir")),
    ?assertEqual({error, enotdir}, nook:chroot(T, "/dev/null")),
    ?assertError(badarg, nook:chroot(T, 42)),
    ?assertError(badarg, nook:chroot(T, <<"/tmp", 0, "x">>)),
    Jail = subdir(Config, "jail"),
    ok = file:write_file(filename:join(Jail, "inside"), <<>>),
    C = container(T, []), %% CAP_SYS_CHROOT in its own user namespace is enough
    ok = nook:chroot(C, Jail),
    ok = nook:chdir(C, "/"),
    ?assertMatch({ok, _}, nook:open(C, "/inside", [o_rdonly])),
    ?assertEqual({error, enoent}, nook:open(C, filename:join(Jail, "inside"), [o_rdonly])).

gethostname(Config) ->
    T = ?config(root, Config),
    {ok, Kernel} = file:read_file("/proc/sys/kernel/hostname"),
    ?assertEqual({ok, string:trim(Kernel)}, nook:gethostname(T)),
    ?assertError(badarg, nook:call(T, gethostname, [extra])),
    %% a name of the greatest length comes back whole: the buffer holds it and its NUL
    C = container(T, [clone_newuts]),
    Longest = binary:copy(<<"h">>, ?HOST_NAME_MAX),
    ok = nook:sethostname(C, Longest),
    ?assertEqual({ok, Longest}, nook:gethostname(C)),
    {ok, Cat} = nook:fork(T),
    ok = nook:execvp(Cat, ["cat"]),
    ?assertError(eacces, nook:gethostname(Cat)).

mount(Config) ->
    T = ?config(root, Config),
    Dir = subdir(Config, "tmpfs"),
    C = container(T, [clone_newns]),
    ok = nook:mount(C, "none", "/", "", [ms_rec, ms_private], ""),
    ok = nook:mount(C, "tmpfs", Dir, <<"tmpfs">>, ['MS_NOSUID', ms_nodev],
                    [<<"size=">>, "1m"]),
    %% Data reached the filesystem: tmpfs reports the size it was given
    ?assertMatch([_], [L || L <- child_mountinfo(C), mount_point(L) =:= Dir,
                            string:find(L, "size=1024k") =/= nomatch]),
    Inside = filename:join(Dir, "inside"),
    {ok, FD} = nook:open(C, Inside, [o_wronly, o_creat], 8#644),
    ok = nook:close(C, FD),
    ?assertEqual({error, enoent}, file:read_file_info(Inside)), %% the host sees the directory
    %% mount/7: prx's options, a list Linux ignores
    Second = subdir(Config, "second"),
    ok = nook:mount(C, "tmpfs", Second, "tmpfs", [], "", []),
    ?assertEqual({error, enoent},
                 nook:mount(C, "tmpfs", "/nonexistent-nook-dir", "tmpfs", [], "")),
    ?assertEqual({error, enodev}, nook:mount(C, "none", Dir, "nook-no-such-fs", [], "")),
    ?assertEqual({error, enotsup}, nook:mount(C, "tmpfs", Dir, "tmpfs", [ms_nosuch], "")),
    ?assertError(badarg, nook:mount(C, "tmpfs", Dir, "tmpfs", {ms_bind}, "")),
    ?assertError(badarg, nook:mount(C, 42, Dir, "tmpfs", [], "")),
    %% a type error wins over an unknown flag
    ?assertError(badarg, nook:mount(C, "tmpfs", Dir, "tmpfs", [ms_nosuch], data)),
    ?assertError(badarg, nook:mount(C, "tmpfs", Dir, "tmpfs", [], "", not_a_list)).

pivot_root(Config) ->
    T = ?config(root, Config),
    NewRoot = subdir(Config, "newroot"),
    C = container(T, [clone_newns]),
    ok = nook:mount(C, "none", "/", "", [ms_rec, ms_private], ""),
    ?assertEqual({error, enoent}, nook:pivot_root(C, "/nonexistent-nook-dir", "/")),
    %% the new root must be a mount point
    ?assertEqual({error, einval}, nook:pivot_root(C, NewRoot, NewRoot)),
    ?assertError(badarg, nook:pivot_root(C, NewRoot, 42)),
    ok = nook:mount(C, NewRoot, NewRoot, "", [ms_bind], ""),
    ok = nook:chdir(C, NewRoot),
    ok = nook:pivot_root(C, ".", "."),
    ok = nook:umount2(C, ".", [mnt_detach]),
    ?assertEqual({ok, <<"/">>}, nook:getcwd(C)),
    ?assertEqual({error, enoent}, nook:open(C, "/proc/self/status", [o_rdonly])).

sethostname(Config) ->
    T = ?config(root, Config),
    {ok, Host} = nook:gethostname(T),
    C = container(T, [clone_newuts]),
    ok = nook:sethostname(C, [<<"nook-">>, "sethostname"]),
    ?assertEqual({ok, <<"nook-sethostname">>}, nook:gethostname(C)),
    ?assertEqual({ok, Host}, nook:gethostname(T)),
    ?assertEqual({error, einval},
                 nook:sethostname(C, binary:copy(<<"h">>, ?HOST_NAME_MAX + 1))),
    ?assertError(badarg, nook:sethostname(C, 42)),
    ?assertError(badarg, nook:sethostname(C, <<"a", 0, "b">>)),
    %% a user namespace gives no power over the host's UTS namespace, not even to root
    Powerless = container(T, []),
    ?assertEqual({error, eperm}, nook:sethostname(Powerless, "nook-sethostname")),
    ?assertEqual({ok, Host}, nook:gethostname(T)).

setns(Config) ->
    T = ?config(root, Config),
    U = userns_task(T),
    UserNs = ns_file(U, "user"),
    {ok, S} = nook:fork(T),
    ok = nook:setns(S, UserNs, clone_newuser),
    ?assertEqual(ns_id(U, "user"), ns_id(S, "user")),
    %% setns/2: any type of namespace
    {ok, S2} = nook:fork(T),
    ok = nook:setns(S2, UserNs),
    ?assertEqual(ns_id(U, "user"), ns_id(S2, "user")),
    {ok, F} = nook:fork(T),
    ?assertEqual({error, einval}, nook:setns(F, UserNs, 'CLONE_NEWUTS')), %% not of that type
    ?assertEqual({error, einval}, nook:setns(F, "/dev/null", 0)), %% not a namespace
    %% a FIFO with no writer would block an open(2) without O_NONBLOCK: the loop stays free
    Fifo = filename:join(?config(dir, Config), "fifo"),
    "" = os:cmd("mkfifo '" ++ Fifo ++ "'"),
    ?assertEqual({error, einval}, nook:setns(F, Fifo)),
    ?assertEqual({error, einval}, nook:setns(S, UserNs)), %% already in it
    ?assertEqual({error, enoent}, nook:setns(F, "/nonexistent-nook-ns")),
    ?assertEqual({error, enotsup}, nook:setns(F, UserNs, clone_nosuch)),
    ?assertError(badarg, nook:setns(F, UserNs, "clone_newuser")),
    ?assertError(badarg, nook:setns(F, 42)),
    ?assertNotEqual(ns_id(U, "user"), ns_id(F, "user")).

umount(Config) ->
    T = ?config(root, Config),
    Dir = subdir(Config, "tmpfs"),
    C = container(T, [clone_newns]),
    ok = nook:mount(C, "none", "/", "", [ms_rec, ms_private], ""),
    ok = nook:mount(C, "tmpfs", Dir, "tmpfs", [], ""),
    ok = nook:umount(C, Dir),
    ?assertEqual([], [L || L <- child_mountinfo(C), mount_point(L) =:= Dir]),
    ?assertEqual({error, einval}, nook:umount(C, Dir)), %% no longer a mount point
    ?assertEqual({error, enoent}, nook:umount(C, "/nonexistent-nook-dir")),
    ?assertError(badarg, nook:umount(C, 42)).

umount2(Config) ->
    T = ?config(root, Config),
    Dir = subdir(Config, "tmpfs"),
    C = container(T, [clone_newns]),
    ok = nook:mount(C, "none", "/", "", [ms_rec, ms_private], ""),
    ok = nook:mount(C, "tmpfs", Dir, "tmpfs", [], ""),
    {ok, _Busy} = nook:open(C, filename:join(Dir, "busy"), [o_wronly, o_creat], 8#644),
    ?assertEqual({error, ebusy}, nook:umount2(C, Dir, [])),
    ?assertEqual({error, einval}, nook:umount2(C, Dir, [mnt_expire, mnt_detach])),
    ?assertEqual({error, enotsup}, nook:umount2(C, Dir, [mnt_nosuch])),
    ?assertError(badarg, nook:umount2(C, Dir, {mnt_detach})),
    ok = nook:umount2(C, Dir, 'MNT_DETACH'), %% detached even while a file is open on it
    ?assertEqual([], [L || L <- child_mountinfo(C), mount_point(L) =:= Dir]),
    ?assertEqual({error, einval}, nook:umount2(C, Dir, [mnt_detach])).

unshare(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    case nook:unshare(C, [clone_newuser]) of
        ok -> ok;
        {error, Error} -> throw({skip, userns_refused(Error)})
    end,
    ?assertNotEqual(ns_id(T, "user"), ns_id(C, "user")),
    %% now root in a namespace of its own, it may make any other
    ok = nook:unshare(C, ['CLONE_NEWUTS', clone_newns]),
    ?assertNotEqual(ns_id(T, "uts"), ns_id(C, "uts")),
    ?assertNotEqual(ns_id(T, "mnt"), ns_id(C, "mnt")),
    ?assertEqual({error, einval}, nook:unshare(C, clone_parent)), %% not a flag of unshare
    ?assertEqual({error, enotsup}, nook:unshare(C, [clone_newuts, clone_nosuch])),
    ?assertError(badarg, nook:unshare(C, {clone_newuts})).

%% ---- group root: the host's own namespaces ----

host_chroot(Config) ->
    T = ?config(root, Config),
    Jail = subdir(Config, "jail"),
    ok = file:write_file(filename:join(Jail, "inside"), <<>>),
    {ok, C} = nook:fork(T),
    ok = nook:chroot(C, Jail),
    ok = nook:chdir(C, "/"),
    ?assertEqual({ok, <<"/">>}, nook:getcwd(C)),
    ?assertMatch({ok, _}, nook:open(C, "/inside", [o_rdonly])),
    ?assertEqual({error, enoent}, nook:open(C, "/proc/self/status", [o_rdonly])),
    ?assertEqual({error, enoent}, nook:chroot(C, "/nonexistent-nook-dir")).

host_setns_uts(Config) ->
    T = ?config(root, Config),
    {ok, Host} = nook:gethostname(T),
    {ok, U} = nook:clone(T, [clone_newuts]),
    ok = nook:sethostname(U, "nook-setns"),
    {ok, S} = nook:fork(T),
    ?assertEqual({ok, Host}, nook:gethostname(S)),
    ok = nook:setns(S, ns_file(U, "uts"), clone_newuts),
    ?assertEqual({ok, <<"nook-setns">>}, nook:gethostname(S)),
    ?assertEqual({ok, Host}, nook:gethostname(T)),
    ?assertEqual({error, einval}, nook:setns(S, ns_file(U, "uts"), clone_newipc)).

host_mount_tmpfs(Config) ->
    T = ?config(root, Config),
    Dir = subdir(Config, "tmpfs"),
    {ok, C} = nook:fork(T),
    ok = nook:mount(C, "tmpfs", Dir, "tmpfs", [ms_nosuid, ms_nodev, ms_noexec], "size=1m"),
    ?assertEqual([Dir], mounts_under(Dir)), %% the BEAM shares the namespace: it sees it
    ok = file:write_file(filename:join(Dir, "on-tmpfs"), <<>>),
    ok = nook:umount(C, Dir),
    ?assertEqual([], mounts_under(Dir)),
    ?assertEqual({error, enoent}, file:read_file_info(filename:join(Dir, "on-tmpfs"))),
    ok = nook:mount(C, "tmpfs", Dir, "tmpfs", [], ""),
    {ok, _Busy} = nook:open(C, filename:join(Dir, "busy"), [o_wronly, o_creat], 8#644),
    ?assertEqual({error, ebusy}, nook:umount(C, Dir)),
    ok = nook:umount2(C, Dir, [mnt_detach]),
    ?assertEqual([], mounts_under(Dir)),
    ?assertEqual({error, einval}, nook:umount(C, Dir)).

%% ---- group unprivileged: a rootless container ----

container_init(Config) ->
    T = ?config(root, Config),
    C = container(T, ?CONTAINER),
    ?assertEqual(1, nook:getpid(C)),
    ?assertNotEqual(1, nook:pidof(C)), %% its pid as the host sees it
    ?assertEqual({0, 0}, {nook:getuid(C), nook:getgid(C)}),
    [?assertNotEqual(ns_id(T, Ns), ns_id(C, Ns)) || Ns <- ["user", "mnt", "pid", "uts", "ipc"]],
    ?assertEqual(ns_id(T, "net"), ns_id(C, "net")).

container_hostname(Config) ->
    T = ?config(root, Config),
    {ok, Host} = nook:gethostname(T),
    C = container(T, ?CONTAINER),
    ok = nook:sethostname(C, "nook-container"),
    ?assertEqual({ok, <<"nook-container">>}, nook:gethostname(C)),
    ?assertEqual({ok, Host}, nook:gethostname(T)).

container_tmpfs(Config) ->
    T = ?config(root, Config),
    Dir = subdir(Config, "tmpfs"),
    C = container(T, ?CONTAINER),
    ok = nook:mount(C, "none", "/", "", [ms_rec, ms_private], ""),
    ok = nook:mount(C, "tmpfs", Dir, "tmpfs", [ms_nosuid, ms_nodev, ms_noexec], "size=1m"),
    Inside = filename:join(Dir, "inside"),
    {ok, FD} = nook:open(C, Inside, [o_wronly, o_creat], 8#644),
    ?assertEqual({ok, 2}, nook:write(C, FD, "hi")),
    ok = nook:close(C, FD),
    ?assertEqual(<<"hi">>, child_read_file(C, Inside)),
    ?assertEqual({error, enoent}, file:read_file_info(Inside)),
    ?assertEqual([], mounts_under(Dir)).

container_ro_bind(Config) ->
    T = ?config(root, Config),
    Writable = subdir(Config, "rw"),
    ReadOnly = subdir(Config, "ro"),
    C = container(T, ?CONTAINER),
    ok = nook:mount(C, "none", "/", "", [ms_rec, ms_private], ""),
    ok = nook:mount(C, "tmpfs", Writable, "tmpfs", [], "size=1m"),
    ok = nook:mount(C, Writable, ReadOnly, "", [ms_bind], ""),
    ok = nook:mount(C, "none", ReadOnly, "", [ms_remount, ms_bind, ms_rdonly], ""),
    ?assertEqual({error, erofs},
                 nook:open(C, filename:join(ReadOnly, "new"), [o_wronly, o_creat], 8#644)),
    %% the same filesystem is still writable through its other mount
    {ok, _} = nook:open(C, filename:join(Writable, "new"), [o_wronly, o_creat], 8#644),
    ?assertMatch({ok, _}, nook:open(C, filename:join(ReadOnly, "new"), [o_rdonly])),
    ?assertEqual({error, erofs}, nook:open(C, filename:join(ReadOnly, "new"), [o_wronly])).

container_pivot_root(Config) ->
    T = ?config(root, Config),
    NewRoot = subdir(Config, "newroot"),
    ok = file:write_file(filename:join(NewRoot, "in-new-root"), <<>>),
    OnHost = filename:join(?config(dir, Config), "on-host"),
    ok = file:write_file(OnHost, <<>>),
    C = container(T, ?CONTAINER),
    ?assertMatch({ok, _}, nook:open(C, OnHost, [o_rdonly])),
    ok = nook:mount(C, "none", "/", "", [ms_rec, ms_private], ""),
    ok = nook:mount(C, NewRoot, NewRoot, "", [ms_bind], ""),
    ok = nook:chdir(C, NewRoot),
    ok = nook:pivot_root(C, ".", "."),
    ok = nook:umount2(C, ".", [mnt_detach]),
    ?assertEqual({ok, <<"/">>}, nook:getcwd(C)),
    ?assertMatch({ok, _}, nook:open(C, "/in-new-root", [o_rdonly])),
    ?assertEqual({error, enoent}, nook:open(C, OnHost, [o_rdonly])).

container_net(Config) ->
    T = ?config(root, Config),
    C = container(T, [clone_newnet | ?CONTAINER]),
    ?assertNotEqual(ns_id(T, "net"), ns_id(C, "net")),
    %% /proc/self/net shows the reader's network namespace
    ?assertEqual([<<"lo">>], net_devices(child_read_file(C, "/proc/self/net/dev"))),
    {ok, HostDev} = file:read_file("/proc/self/net/dev"),
    ?assert(lists:member(<<"lo">>, net_devices(HostDev))).

%% ---- helpers ----

%% A child of Root in a new user namespace (and Flags), where the caller's uid and gid are 0:
%% what a rootless container starts as. Skips the case when the kernel refuses.
container(Root, Flags) ->
    C = userns_task(Root, Flags),
    write_child_file(C, "/proc/self/uid_map", io_lib:format("0 ~b 1~n", [nook:getuid(Root)])),
    %% an unprivileged gid_map is accepted only once setgroups(2) is off
    write_child_file(C, "/proc/self/setgroups", "deny"),
    write_child_file(C, "/proc/self/gid_map", io_lib:format("0 ~b 1~n", [nook:getgid(Root)])),
    C.

userns_task(Root) -> userns_task(Root, []).

userns_task(Root, Flags) ->
    case nook:clone(Root, [clone_newuser | Flags]) of
        {ok, C} -> C;
        {error, Error} -> throw({skip, userns_refused(Error)})
    end.

userns_refused(Error) ->
    lists:flatten(io_lib:format("the kernel refuses user namespaces to uid ~s: ~p",
                                [string:trim(os:cmd("id -u")), Error])).

subdir(Config, Name) ->
    Dir = filename:join(?config(dir, Config), Name),
    ok = file:make_dir(Dir),
    Dir.

write_child_file(C, Path, Data) ->
    {ok, FD} = nook:open(C, Path, [o_wronly]),
    Size = iolist_size(Data),
    {ok, Size} = nook:write(C, FD, Data),
    ok = nook:close(C, FD).

child_read_file(C, Path) ->
    {ok, FD} = nook:open(C, Path, [o_rdonly]),
    Data = child_read_all(C, FD, <<>>),
    ok = nook:close(C, FD),
    Data.

child_read_all(C, FD, Acc) ->
    case nook:read(C, FD, 65536) of
        {ok, <<>>} -> Acc;
        {ok, Bin} -> child_read_all(C, FD, <<Acc/binary, Bin/binary>>)
    end.

child_mountinfo(C) ->
    string:lexemes(child_read_file(C, "/proc/self/mountinfo"), "\n").

%% The mount point of a /proc/Pid/mountinfo line (its fifth field), unescaped.
mount_point(Line) ->
    [_Id, _Parent, _Dev, _Root, Escaped | _] = string:lexemes(Line, " "),
    unescape(binary_to_list(iolist_to_binary(Escaped))).

%% mountinfo writes space, tab, newline and backslash as \ooo.
unescape([$\\, A, B, C | Rest]) when A >= $0, A =< $7, B >= $0, B =< $7, C >= $0, C =< $7 ->
    [(A - $0) * 64 + (B - $0) * 8 + (C - $0) | unescape(Rest)];
unescape([Char | Rest]) -> [Char | unescape(Rest)];
unescape([]) -> [].

%% Mount points at or below Dir in the BEAM's own mount namespace.
mounts_under(Dir0) ->
    {ok, Info} = file:read_file("/proc/self/mountinfo"),
    Dir = filename:join([Dir0]), %% no trailing slash, as mountinfo writes it
    Prefix = Dir ++ "/",
    [M || Line <- string:lexemes(Info, "\n"), M <- [mount_point(Line)],
          M =:= Dir orelse lists:prefix(Prefix, M)].

%% The namespace a task's process is in, as /proc names it: "user:[4026531837]".
ns_file(Task, Ns) ->
    filename:join(["/proc", integer_to_list(nook:pidof(Task)), "ns", Ns]).

ns_id(Task, Ns) ->
    {ok, Id} = file:read_link(ns_file(Task, Ns)),
    Id.

%% Interface names of a /proc/net/dev: one "name: counters" line each after two headers.
net_devices(Dev) ->
    [_, _ | Lines] = string:lexemes(Dev, "\n"),
    [string:trim(Name) || Line <- Lines, [Name, _] <- [string:split(Line, ":")]].
