%% SPDX-License-Identifier: ISC
%% @doc One case per call of the identity and credentials family and of the process
%% attributes and limits family, each with a success path and a failure path with its exact
%% error. Cases in the group `unprivileged' hold for any uid: where the outcome depends on
%% privilege they ask the kernel what the task may do (uid, capabilities) and assert that.
%% Cases in the group `root' need to give privileges away and are skipped, with the reason,
%% when the suite does not run as root.
%%
%% Every case gets a fresh root task (a new port) and stops it, so that identities, limits,
%% sessions and priorities changed here never outlive the case.
%%
%% unprivileged: yes
-module(nook_ident_SUITE).

-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").

-export([all/0, groups/0, suite/0, init_per_group/2, end_per_group/2,
         init_per_testcase/2, end_per_testcase/2]).
%% identity and credentials
-export([getgroups/1, getresgid/1, getresuid/1, setgid/1, setgroups/1, setresgid/1,
         setresuid/1, setuid/1, drop_privileges/1]).
%% process attributes and limits
-export([getpgrp/1, getpriority/1, getrlimit/1, getsid/1, setpgid/1, setpriority/1,
         setrlimit/1, setrlimit_nofile/1, setsid/1]).

%% No OS process has this pid: it is far above any pid_max.
-define(NO_SUCH_PID, 16#7ffffffe).
%% The overflow user and group, what privileges are dropped to.
-define(NOBODY, 65534).
%% Capability bits (linux/capability.h), read from /proc/PID/status.
-define(CAP_SETGID, 6).
-define(CAP_SETUID, 7).
-define(CAP_SYS_NICE, 23).
-define(CAP_SYS_RESOURCE, 24).
%% What nook_port's child table costs in fds (c_src/child.h).
-define(FDS_RESERVED, 16).
-define(FDS_PER_CHILD, 4).

suite() -> [{timetrap, {seconds, 60}}].

all() -> [{group, unprivileged}, {group, root}].

groups() ->
    [{unprivileged, [],
      [getgroups, getresgid, getresuid, setgid, setresgid, setresuid, setuid,
       getpgrp, getpriority, getrlimit, getsid, setpgid, setpriority, setrlimit,
       setrlimit_nofile, setsid]},
     {root, [], [setgroups, drop_privileges]}].

init_per_group(root, Config) ->
    Caps = capabilities(list_to_integer(os:getpid())),
    Needed = (1 bsl ?CAP_SETUID) bor (1 bsl ?CAP_SETGID),
    case string:trim(os:cmd("id -u")) of
        "0" when Caps band Needed =:= Needed -> Config;
        "0" -> {skip, "root without CAP_SETUID and CAP_SETGID cannot give privileges away"};
        Uid -> {skip, "needs root to give privileges away; running as uid " ++ Uid}
    end;
init_per_group(_, Config) ->
    Config.

end_per_group(_, _Config) -> ok.

init_per_testcase(_Case, Config) ->
    {ok, Root} = nook:fork(),
    [{root, Root} | Config].

end_per_testcase(_Case, Config) ->
    nook:stop(?config(root, Config)).

%% ---- identity and credentials ----

getgroups(Config) ->
    T = ?config(root, Config),
    {ok, Groups} = nook:getgroups(T),
    ?assertEqual(proc_groups(nook:pidof(T)), lists:sort(Groups)),
    ?assertError(badarg, nook:call(T, getgroups, [0])).

getresgid(Config) ->
    T = ?config(root, Config),
    Gid = nook:getgid(T),
    Egid = nook:getegid(T),
    ?assertMatch({ok, Gid, Egid, _}, nook:getresgid(T)),
    {ok, Gid, Egid, Saved} = nook:getresgid(T),
    %% real, effective, saved (and filesystem) gid
    ?assertEqual([Gid, Egid, Saved], lists:sublist(proc_ids(nook:pidof(T), "Gid:"), 3)),
    ?assertError(badarg, nook:call(T, getresgid, [0])).

getresuid(Config) ->
    T = ?config(root, Config),
    Uid = nook:getuid(T),
    Euid = nook:geteuid(T),
    {ok, Uid, Euid, Saved} = nook:getresuid(T),
    ?assertEqual([Uid, Euid, Saved], lists:sublist(proc_ids(nook:pidof(T), "Uid:"), 3)),
    ?assertError(badarg, nook:call(T, getresuid, [0])).

setgid(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    Gid = nook:getgid(C),
    ok = nook:setgid(C, Gid),
    ?assertMatch({ok, Gid, Gid, _}, nook:getresgid(C)),
    ?assertEqual({error, einval}, nook:setgid(C, -1)), %% no valid gid
    U = unprivileged_child(T),
    ?assertEqual({error, eperm}, nook:setgid(U, other_id(nook:getgid(U)))),
    ?assertError(badarg, nook:setgid(C, -2)),
    ?assertError(badarg, nook:setgid(C, 1 bsl 32)),
    ?assertError(badarg, nook:setgid(C, root)).

setresgid(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    {ok, R, E, S} = nook:getresgid(C),
    ok = nook:setresgid(C, -1, -1, -1), %% -1 leaves each one as it is
    ?assertEqual({ok, R, E, S}, nook:getresgid(C)),
    ok = nook:setresgid(C, -1, R, -1), %% anyone may set one of its own ids
    ?assertEqual({ok, R, R, S}, nook:getresgid(C)),
    U = unprivileged_child(T),
    Other = other_id(nook:getgid(U)),
    ?assertEqual({error, eperm}, nook:setresgid(U, Other, Other, Other)),
    ?assertEqual({error, eperm}, nook:setresgid(U, -1, Other, -1)),
    ?assertError(badarg, nook:setresgid(C, -2, -1, -1)),
    ?assertError(badarg, nook:setresgid(C, -1, 1 bsl 32, -1)),
    ?assertError(badarg, nook:setresgid(C, -1, -1, "0")).

setresuid(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    {ok, R, E, S} = nook:getresuid(C),
    ok = nook:setresuid(C, -1, -1, -1),
    ?assertEqual({ok, R, E, S}, nook:getresuid(C)),
    ok = nook:setresuid(C, R, R, R),
    ?assertEqual({ok, R, R, R}, nook:getresuid(C)),
    U = unprivileged_child(T),
    Other = other_id(nook:getuid(U)),
    ?assertEqual({error, eperm}, nook:setresuid(U, Other, Other, Other)),
    ?assertEqual({error, eperm}, nook:setresuid(U, -1, -1, Other)),
    ?assertError(badarg, nook:setresuid(C, -2, -1, -1)),
    ?assertError(badarg, nook:setresuid(C, -1, 1 bsl 32, -1)),
    ?assertError(badarg, nook:setresuid(C, -1, -1, nobody)).

setuid(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    Uid = nook:getuid(C),
    ok = nook:setuid(C, Uid),
    ?assertMatch({ok, Uid, Uid, _}, nook:getresuid(C)),
    ?assertEqual({error, einval}, nook:setuid(C, -1)), %% no valid uid
    U = unprivileged_child(T),
    ?assertEqual({error, eperm}, nook:setuid(U, other_id(nook:getuid(U)))),
    ?assertError(badarg, nook:setuid(C, -2)),
    ?assertError(badarg, nook:setuid(C, 1 bsl 32)),
    ?assertError(badarg, nook:setuid(C, root)).

setgroups(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    ok = nook:setgroups(C, [300, 0, ?NOBODY]),
    {ok, Groups} = nook:getgroups(C),
    ?assertEqual([0, 300, ?NOBODY], lists:sort(Groups)),
    ok = nook:setgroups(C, [1, 2, 3]), %% Erlang sends this one as a string
    ?assertEqual({ok, [1, 2, 3]}, nook:getgroups(C)),
    ok = nook:setgroups(C, []),
    ?assertEqual({ok, []}, nook:getgroups(C)),
    %% more than NGROUPS_MAX
    ?assertEqual({error, einval}, nook:setgroups(C, lists:seq(1, 65537))),
    ?assertError(badarg, nook:setgroups(C, lists:seq(1, 65537) ++ [a])), %% a type error wins
    ?assertEqual({error, einval}, nook:setgroups(C, [-1])), %% no valid gid
    U = unprivileged_child(T),
    ?assertEqual({error, eperm}, nook:setgroups(U, [])),
    ?assertError(badarg, nook:setgroups(C, [a])),
    ?assertError(badarg, nook:setgroups(C, [-2])),
    ?assertError(badarg, nook:setgroups(C, [1 | 2])),
    ?assertError(badarg, nook:setgroups(C, 0)).

%% The sequence a container runs as root to become nobody, and what it must leave behind.
drop_privileges(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    ok = nook:setgroups(C, []),
    ?assertEqual({ok, []}, nook:getgroups(C)),
    ok = nook:setresgid(C, ?NOBODY, ?NOBODY, ?NOBODY),
    ok = nook:setresuid(C, ?NOBODY, ?NOBODY, ?NOBODY),
    ?assertEqual({ok, ?NOBODY, ?NOBODY, ?NOBODY}, nook:getresuid(C)),
    ?assertEqual({ok, ?NOBODY, ?NOBODY, ?NOBODY}, nook:getresgid(C)),
    ?assertEqual(0, capabilities(nook:pidof(C))),
    %% for good: no id of root is kept to go back to
    ?assertEqual({error, eperm}, nook:setuid(C, 0)),
    ?assertEqual({error, eperm}, nook:setresuid(C, -1, 0, -1)),
    ?assertEqual({error, eperm}, nook:setgid(C, 0)),
    ?assertEqual({error, eperm}, nook:setgroups(C, [0])),
    ?assertEqual({ok, []}, nook:getgroups(C)),
    %% the child still serves calls and forks, as nobody
    {ok, G} = nook:fork(C),
    ?assertEqual({ok, ?NOBODY, ?NOBODY, ?NOBODY}, nook:getresuid(G)).

%% ---- process attributes and limits ----

getpgrp(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    ?assertEqual(nook:getpgrp(T), nook:getpgrp(C)), %% a forked child stays in the group
    ok = nook:setpgid(C, 0, 0),
    ?assertEqual(nook:getpid(C), nook:getpgrp(C)),
    ?assertError(badarg, nook:call(T, getpgrp, [0])).

getpriority(Config) ->
    T = ?config(root, Config),
    Nice = proc_nice(nook:pidof(T)),
    ?assertEqual({ok, Nice}, nook:getpriority(T, prio_process, 0)),
    ?assertEqual({ok, Nice}, nook:getpriority(T, 'PRIO_PROCESS', nook:getpid(T))),
    ?assertMatch({ok, N} when is_integer(N), nook:getpriority(T, prio_pgrp, 0)),
    ?assertMatch({ok, N} when is_integer(N), nook:getpriority(T, prio_user, nook:getuid(T))),
    {ok, C} = nook:fork(T),
    ok = nook:setpriority(C, prio_process, 0, 19),
    ?assertEqual({ok, 19}, nook:getpriority(C, prio_process, 0)),
    ?assertEqual({error, esrch}, nook:getpriority(T, prio_process, ?NO_SUCH_PID)),
    ?assertEqual({error, enotsup}, nook:getpriority(T, prio_nosuch, 0)),
    ?assertEqual({error, einval}, nook:getpriority(T, 7, 0)), %% no such kind of Who
    ?assertError(badarg, nook:getpriority(T, prio_process, -1)),
    ?assertError(badarg, nook:getpriority(T, "prio_process", 0)).

setpriority(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    ok = nook:setpriority(C, prio_process, 0, 0),
    ?assertEqual({ok, 0}, nook:getpriority(C, prio_process, 0)),
    ok = nook:setpriority(C, prio_process, 0, 5), %% raising niceness needs no privilege
    ?assertEqual({ok, 5}, nook:getpriority(C, prio_process, 0)),
    ?assertEqual(5, proc_nice(nook:pidof(C))),
    ok = nook:setpriority(T, prio_process, nook:pidof(C), 7), %% a parent may renice its child
    ?assertEqual({ok, 7}, nook:getpriority(C, prio_process, 0)),
    %% lowering niceness back needs CAP_SYS_NICE, or an RLIMIT_NICE that allows it (set to 0)
    ok = nook:setrlimit(C, rlimit_nice, #{cur => 0, max => 0}),
    ?assertEqual(expected(has_capability(C, ?CAP_SYS_NICE), ok, {error, eacces}),
                 nook:setpriority(C, prio_process, 0, 0)),
    U = unprivileged_child(T),
    ok = nook:setrlimit(U, rlimit_nice, #{cur => 0, max => 0}),
    ok = nook:setpriority(U, prio_process, 0, 5),
    ?assertEqual({error, eacces}, nook:setpriority(U, prio_process, 0, 0)),
    ?assertEqual({error, esrch}, nook:setpriority(T, prio_process, ?NO_SUCH_PID, 0)),
    ?assertEqual({error, enotsup}, nook:setpriority(T, prio_nosuch, 0, 0)),
    ?assertError(badarg, nook:setpriority(T, prio_nosuch, 0, high)), %% a type error wins
    ?assertError(badarg, nook:setpriority(T, prio_process, -1, 0)),
    ?assertError(badarg, nook:setpriority(T, prio_process, 0, 1 bsl 31)).

getrlimit(Config) ->
    T = ?config(root, Config),
    Pid = nook:pidof(T),
    ?assertEqual({ok, proc_limit(Pid, "Max open files")}, nook:getrlimit(T, rlimit_nofile)),
    ?assertEqual({ok, proc_limit(Pid, "Max core file size")}, nook:getrlimit(T, 'RLIMIT_CORE')),
    ?assertEqual({ok, proc_limit(Pid, "Max stack size")}, nook:getrlimit(T, rlimit_stack)),
    Resources = [rlimit_as, rlimit_core, rlimit_cpu, rlimit_data, rlimit_fsize, rlimit_locks,
                 rlimit_memlock, rlimit_msgqueue, rlimit_nice, rlimit_nofile, rlimit_nproc,
                 rlimit_rss, rlimit_rtprio, rlimit_rttime, rlimit_sigpending, rlimit_stack],
    [?assertMatch({ok, #{cur := _, max := _}}, nook:getrlimit(T, R)) || R <- Resources],
    ?assertEqual(nook:getrlimit(T, rlimit_nofile), nook:getrlimit(T, 7)), %% RLIMIT_NOFILE
    ?assertEqual({error, einval}, nook:getrlimit(T, 99)),
    ?assertEqual({error, enotsup}, nook:getrlimit(T, rlimit_nosuch)),
    ?assertError(badarg, nook:getrlimit(T, -1)),
    ?assertError(badarg, nook:getrlimit(T, "rlimit_core")).

setrlimit(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    ok = nook:setrlimit(C, rlimit_core, #{cur => 0, max => 0}),
    ?assertEqual({ok, #{cur => 0, max => 0}}, nook:getrlimit(C, rlimit_core)),
    ?assertEqual(#{cur => 0, max => 0}, proc_limit(nook:pidof(C), "Max core file size")),
    %% raising a hard limit needs CAP_SYS_RESOURCE, which root may or may not hold
    ?assertEqual(expected(has_capability(C, ?CAP_SYS_RESOURCE), ok, {error, eperm}),
                 nook:setrlimit(C, rlimit_core, #{cur => 0, max => 4096})),
    U = unprivileged_child(T),
    ok = nook:setrlimit(U, rlimit_core, #{max => 0, cur => 0}), %% keys in any order
    ?assertEqual({error, eperm}, nook:setrlimit(U, rlimit_core, #{cur => 0, max => 4096})),
    %% infinity both ways, for a resource whose hard limit is infinity already
    case [R || R <- [rlimit_fsize, rlimit_cpu, rlimit_as, rlimit_data],
               {ok, #{max := infinity}} <- [nook:getrlimit(C, R)]] of
        [Unlimited | _] ->
            ok = nook:setrlimit(C, Unlimited, #{cur => 1 bsl 40, max => infinity}),
            ?assertEqual({ok, #{cur => 1 bsl 40, max => infinity}}, nook:getrlimit(C, Unlimited)),
            ok = nook:setrlimit(C, Unlimited, #{cur => infinity, max => infinity}),
            ?assertEqual({ok, #{cur => infinity, max => infinity}}, nook:getrlimit(C, Unlimited)),
            %% RLIM_INFINITY as a number is the same limit
            ok = nook:setrlimit(C, Unlimited, #{cur => (1 bsl 64) - 1, max => infinity}),
            ?assertEqual({ok, #{cur => infinity, max => infinity}}, nook:getrlimit(C, Unlimited)),
            %% every other 64-bit value comes back as it went
            ok = nook:setrlimit(C, Unlimited, #{cur => (1 bsl 64) - 3, max => (1 bsl 64) - 2}),
            ?assertEqual({ok, #{cur => (1 bsl 64) - 3, max => (1 bsl 64) - 2}},
                         nook:getrlimit(C, Unlimited));
        [] ->
            ct:fail("no resource with an unlimited hard limit to round-trip infinity on")
    end,
    ?assertEqual({error, einval}, nook:setrlimit(C, rlimit_core, #{cur => 1, max => 0})),
    ?assertEqual({error, einval}, nook:setrlimit(C, 99, #{cur => 0, max => 0})),
    ?assertEqual({error, enotsup}, nook:setrlimit(C, rlimit_nosuch, #{cur => 0, max => 0})),
    %% cur or max alone keeps the other (prx's map type has both optional)
    ?assertEqual({error, enotsup}, nook:setrlimit(C, rlimit_nosuch, #{cur => 0})),
    {ok, #{max := CoreMax}} = nook:getrlimit(C, rlimit_core),
    ok = nook:setrlimit(C, rlimit_core, #{cur => 0}),
    ?assertEqual({ok, #{cur => 0, max => CoreMax}}, nook:getrlimit(C, rlimit_core)),
    ?assertError(badarg, nook:setrlimit(C, rlimit_core, #{cur => 0, max => 0, extra => 0})),
    ?assertError(badarg, nook:setrlimit(C, rlimit_core, #{cur => 0, maximum => 0})),
    ?assertError(badarg, nook:setrlimit(C, rlimit_core, #{<<"cur">> => 0, max => 0})),
    ?assertError(badarg, nook:setrlimit(C, rlimit_core, #{cur => -1, max => 0})),
    ?assertError(badarg, nook:setrlimit(C, rlimit_core, #{cur => 1 bsl 64, max => 0})),
    ?assertError(badarg, nook:setrlimit(C, rlimit_core, #{cur => unlimited, max => 0})),
    ?assertError(badarg, nook:setrlimit(C, rlimit_core, [{cur, 0}, {max, 0}])),
    ?assertError(badarg, nook:setrlimit(C, rlimit_core, {0, 0})),
    ?assertEqual({ok, #{cur => 0, max => 0}}, nook:getrlimit(U, rlimit_core)). %% untouched

%% RLIMIT_NOFILE bounds the children a nook process can keep: each costs it FDS_PER_CHILD fds.
setrlimit_nofile(Config) ->
    T = ?config(root, Config),
    {ok, #{max := Max}} = nook:getrlimit(T, rlimit_nofile),
    Before = nook:getrlimit(T, rlimit_nofile),
    [{ok, _} = nook:fork(T) || _ <- lists:seq(1, 3)],
    TooLow = ?FDS_RESERVED + 3 * ?FDS_PER_CHILD - 1,
    ?assertEqual({error, einval}, nook:setrlimit(T, rlimit_nofile, #{cur => TooLow, max => Max})),
    ?assertEqual(Before, nook:getrlimit(T, rlimit_nofile)), %% nothing changed
    %% room for exactly 5 children: maxchild comes down to 5
    Five = ?FDS_RESERVED + 5 * ?FDS_PER_CHILD,
    ok = nook:setrlimit(T, rlimit_nofile, #{cur => Five, max => Max}),
    ?assertEqual({ok, #{cur => Five, max => Max}}, nook:getrlimit(T, rlimit_nofile)),
    ?assertEqual(5, nook:getopt(T, maxchild)),
    {ok, _} = nook:fork(T),
    {ok, _} = nook:fork(T),
    ?assertEqual({error, eagain}, nook:fork(T)),
    %% raising the limit again leaves maxchild to setopt
    ok = nook:setrlimit(T, rlimit_nofile, #{cur => Five + 8 * ?FDS_PER_CHILD, max => Max}),
    ?assertEqual(5, nook:getopt(T, maxchild)),
    ?assertEqual(false, nook:setopt(T, maxchild, 14)), %% more than the limit has room for
    ?assertEqual(true, nook:setopt(T, maxchild, 13)),
    {ok, _} = nook:fork(T),
    %% a process with no children may go as low as a program it will exec should run with
    {ok, C} = nook:fork(T),
    ok = nook:setrlimit(C, rlimit_nofile, #{cur => 3, max => 3}),
    ?assertEqual(0, nook:getopt(C, maxchild)),
    ?assertEqual({error, eagain}, nook:fork(C)),
    ?assertEqual({ok, #{cur => 3, max => 3}}, nook:getrlimit(C, rlimit_nofile)).

getsid(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    {ok, Sid} = nook:getsid(T, 0),
    ?assertEqual({ok, Sid}, nook:getsid(C, 0)), %% a forked child stays in the session
    ?assertEqual({ok, Sid}, nook:getsid(C, nook:getpid(T))),
    ?assertEqual(proc_stat_field(nook:pidof(T), 6), Sid),
    ?assertEqual({error, esrch}, nook:getsid(T, ?NO_SUCH_PID)),
    ?assertError(badarg, nook:getsid(T, self())).

setpgid(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    ok = nook:setpgid(C, 0, 0),
    ?assertEqual(nook:getpid(C), nook:getpgrp(C)),
    {ok, D} = nook:fork(T),
    DPid = nook:pidof(D),
    ok = nook:setpgid(T, DPid, DPid), %% a parent may move its child
    ?assertEqual(DPid, nook:getpgrp(D)),
    ok = nook:setpgid(D, 0, nook:getpid(C)), %% into another group of the session
    ?assertEqual(nook:getpid(C), nook:getpgrp(D)),
    ?assertEqual({error, esrch}, nook:setpgid(T, 999999, 0)), %% not T nor a child of T
    ?assertEqual({error, einval}, nook:setpgid(C, 0, -1)),
    ?assertEqual({error, eperm}, nook:setpgid(D, 0, ?NO_SUCH_PID)), %% no such group
    {ok, L} = nook:fork(T),
    {ok, _} = nook:setsid(L),
    ?assertEqual({error, eperm}, nook:setpgid(L, 0, 0)), %% a session leader stays put
    ?assertError(badarg, nook:setpgid(T, 0, self())).

setsid(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    Pid = nook:getpid(C),
    ?assertEqual({ok, Pid}, nook:setsid(C)),
    ?assertEqual({ok, Pid}, nook:getsid(C, 0)),
    ?assertEqual({ok, Pid}, nook:getsid(T, Pid)),
    ?assertEqual(Pid, nook:getpgrp(C)),
    ?assertEqual({error, eperm}, nook:setsid(C)), %% already a session leader
    {ok, G} = nook:fork(C),
    ?assertEqual({ok, Pid}, nook:getsid(G, 0)), %% its children are in its session
    ?assertError(badarg, nook:call(T, setsid, [0])).

%% ---- helpers ----

%% A child of Root without privilege: as root, one that has given its ids and groups away;
%% otherwise a plain child, which has none to begin with.
unprivileged_child(Root) ->
    {ok, C} = nook:fork(Root),
    case nook:geteuid(C) of
        0 ->
            ok = nook:setgroups(C, []),
            ok = nook:setresgid(C, ?NOBODY, ?NOBODY, ?NOBODY),
            ok = nook:setresuid(C, ?NOBODY, ?NOBODY, ?NOBODY);
        _ ->
            ok
    end,
    ?assertEqual(0, capabilities(nook:pidof(C))),
    C.

%% An id other than Id, that an unprivileged process cannot take.
other_id(0) -> 1;
other_id(_) -> 0.

expected(true, IfTrue, _) -> IfTrue;
expected(false, _, IfFalse) -> IfFalse.

has_capability(Task, Bit) -> capabilities(nook:pidof(Task)) band (1 bsl Bit) =/= 0.

%% The effective capability set of an OS process.
capabilities(Pid) ->
    [Hex] = proc_status(Pid, "CapEff:"),
    binary_to_integer(Hex, 16).

proc_status(Pid, Field) ->
    {ok, Status} = file:read_file("/proc/" ++ integer_to_list(Pid) ++ "/status"),
    [Values] = [string:lexemes(Rest, " \t")
                || Line <- string:split(Status, "\n", all),
                   [F, Rest] <- [string:split(Line, "\t")], F =:= list_to_binary(Field)],
    Values.

proc_ids(Pid, Field) -> [binary_to_integer(V) || V <- proc_status(Pid, Field)].

proc_groups(Pid) -> lists:sort(proc_ids(Pid, "Groups:")).

%% Field N (1-based, after the command name) of /proc/PID/stat.
proc_stat_field(Pid, N) ->
    {ok, Stat} = file:read_file("/proc/" ++ integer_to_list(Pid) ++ "/stat"),
    [_, After] = string:split(Stat, ")", trailing),
    binary_to_integer(lists:nth(N - 2, string:lexemes(After, " "))).

proc_nice(Pid) -> proc_stat_field(Pid, 19).

%% A line of /proc/PID/limits as getrlimit/2 shows it.
proc_limit(Pid, Name) ->
    {ok, Limits} = file:read_file("/proc/" ++ integer_to_list(Pid) ++ "/limits"),
    [Line] = [L || L <- string:split(Limits, "\n", all),
                   string:prefix(L, Name) =/= nomatch],
    [Cur, Max | _] = string:lexemes(string:prefix(Line, Name), " "),
    #{cur => limit_value(Cur), max => limit_value(Max)}.

limit_value(<<"unlimited">>) -> infinity;
limit_value(V) -> binary_to_integer(V).
