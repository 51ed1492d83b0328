%% SPDX-License-Identifier: ISC
%% @doc What a default container cannot do to the host, tried as an attacker would: a fork
%% bomb, a memory hog, output without end, a program that will not stop, a root directory
%% someone else made or pointed elsewhere; and what a root caller's container may touch.
%%
%% The group `unprivileged' runs as root and again as a user with no privilege at all
%% (bin/test); cgroups are used where the user may make them (as root here: v1), rlimits
%% elsewhere, and each case says which it saw. The group `root' holds what needs a second
%% user or a root caller. Programs are found by a marker in their environment.
-module(nook_containment_SUITE).

%% unprivileged: yes

-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").
-include_lib("kernel/include/file.hrl").

-export([all/0, groups/0, suite/0, init_per_group/2, end_per_group/2, init_per_testcase/2,
         end_per_testcase/2]).
%% group unprivileged
-export([container_pids_by_cgroup/1, root_on_nodev_fs/1, default_limits/1, limits_option/1, limits_off/1, fork_bomb/1, memory_hog/1,
         cpu_limited/1, cpu_time_limit/1,
         cgroup_namespace/1, unsafe_root_owner/1, unsafe_root_writable/1,
         unsafe_root_symlink/1, unsafe_skeleton_symlink/1, make_root_symlink_untouched/1,
         unsafe_ancestor/1, symlink_ancestor_resolved/1, root_swapped/1, fstab_mount_point/1,
         max_output_truncate/1, max_output_kill/1, timeout_graceful/1, timeout_stubborn/1,
         close_graceful/1, options_checked/1, stdin_not_iodata/1, not_a_task/1,
         process_limits/1, cgroups_removed/1]).
%% group root
-export([root_maps_to_nobody/1, host_root_explicit/1, root_owned_by_other/1,
         cgroups_removed_after_kill9/1, hold_container/0]).

-define(GONE_MS, 1000).
-define(GUARD_MS, 10000).
-define(MIB, (1 bsl 20)).
-define(NOBODY, 65534).

suite() -> [{timetrap, {seconds, 180}}].

all() -> [{group, unprivileged}, {group, root}].

groups() ->
    [{unprivileged, [],
      [default_limits, limits_option, limits_off, fork_bomb, memory_hog, cpu_limited,
       cpu_time_limit, cgroup_namespace,
       unsafe_root_owner, unsafe_root_writable, unsafe_root_symlink, unsafe_skeleton_symlink,
       make_root_symlink_untouched, unsafe_ancestor, symlink_ancestor_resolved, root_swapped,
       fstab_mount_point, max_output_truncate, max_output_kill, timeout_graceful,
       timeout_stubborn, close_graceful, options_checked, stdin_not_iodata, not_a_task,
       process_limits, cgroups_removed]},
     {root, [], [root_maps_to_nobody, host_root_explicit, root_owned_by_other,
                 cgroups_removed_after_kill9, container_pids_by_cgroup, root_on_nodev_fs]}].

init_per_group(root, Config) ->
    case nook_root:uid() of
        0 -> Config;
        Uid -> {skip, lists:flatten(io_lib:format("needs a root BEAM; this one runs as ~b", [Uid]))}
    end;
init_per_group(unprivileged, Config) ->
    %% Which limits this run can see enforced, for the log.
    ct:pal("limits enforced here: ~p", [nook_limits:available()]),
    nook_test_lib:userns_or_skip(Config).

end_per_group(_Group, _Config) -> ok.

init_per_testcase(Case, Config) ->
    process_flag(trap_exit, true),
    Base = filename:join(?config(priv_dir, Config), atom_to_list(Case)),
    ok = filelib:ensure_dir(filename:join(Base, "x")),
    ok = file:change_mode(Base, 8#755),
    Root = filename:join(Base, "root"),
    ok = nook_rootless:make_root(Root),
    [{base, Base}, {path, Root}, {marker, nook_test_lib:marker()} | Config].

end_per_testcase(_Case, Config) ->
    case nook_test_lib:await_gone([], ?config(marker, Config), ?GONE_MS) of
        ok -> ok;
        {error, Left} -> {fail, {processes_left, Left}}
    end.

%% ---- limits ----

default_limits(Config) ->
    %% rlimits always; a memory rlimit only where no memory cgroup bounds the container.
    {Out, <<>>, {exit_status, 0}} = run("ulimit -p; ulimit -n; ulimit -f; ulimit -c; ulimit -d", Config, []),
    Data = case maps:get(memory, nook_limits:available()) of
               [rlimit_data] -> integer_to_binary(1024 * 1024); % kbytes
               _ -> <<"unlimited">> % a cgroup's, or none (the sanitizer build)
           end,
    ?assertEqual([<<"1024">>, <<"1024">>, integer_to_binary(2 * 1024 * 1024), <<"0">>, Data],
                 lines(Out)),
    %% The cgroup, where there is one, as the host sees it.
    case nook_limits:available() of
        #{memory := [{cgroup, _}]} ->
            Cgroup = cgroup_of_program("exec sleep 1000", Config, []),
            ?assertEqual(1024 * ?MIB, read_int(Cgroup, memory, ["memory.max", "memory.limit_in_bytes"])),
            ?assertEqual(1024, read_int(Cgroup, pids, ["pids.max"]));
        _ ->
            {comment, "no memory cgroup here: rlimits only"}
    end.

container_pids_by_cgroup(Config) ->
    %% A nook_container has no user namespace of its own: RLIMIT_NPROC there would count
    %% every process of its uid on the host (all containers as 65534 together), so a pids
    %% cgroup bounds it where there is one, and the rlimit only where there is none.
    {ok, Events} = nook_stream:run("ulimit -p", nook_container, cfg(Config, [])),
    {Out, <<>>, {exit_status, 0}} = nook_test_lib:events(Events),
    case lists:keymember(cgroup, 1, maps:get(pids, nook_limits:available())) of
        true -> ?assertNotEqual([<<"1024">>], lines(Out));
        false -> ?assertEqual([<<"1024">>], lines(Out))
    end,
    %% in a rootless container the rlimit counts the container's processes: always set
    ?assertMatch({<<"1024\n">>, <<>>, {exit_status, 0}}, run("ulimit -p", Config, [])).

root_on_nodev_fs(Config) ->
    %% A root on a filesystem mounted nodev,noexec (as a /tmp often is): the container's user
    %% namespace cannot clear those flags, and the root is read-only all the same.
    with_tmpfs(Config, "nodev,noexec", fun(Root) ->
        {Out, _, {exit_status, 0}} =
            run("touch /x 2>&1; echo $?; awk '$5 == \"/\" { print $6 }' /proc/self/mountinfo",
                [{path, Root} | Config], []),
        [Touch, Status, Options] = lines(Out),
        ?assertMatch({match, _}, re:run(Touch, "Read-only file system")),
        ?assertNotEqual(<<"0">>, Status),
        ?assert(lists:member(<<"ro">>, binary:split(Options, <<",">>, [global])))
    end),
    %% Only nodev there: the root keeps nodev and does not take noexec as well.
    with_tmpfs(Config, "nodev", fun(Root) ->
        {Out, _, {exit_status, 0}} =
            run("awk '$5 == \"/\" { print $6 }' /proc/self/mountinfo", [{path, Root} | Config], []),
        Options = binary:split(hd(lines(Out)), <<",">>, [global]),
        ?assertEqual({true, true, false}, {lists:member(<<"ro">>, Options),
                                           lists:member(<<"nodev">>, Options),
                                           lists:member(<<"noexec">>, Options)})
    end).

with_tmpfs(Config, Options, Fun) ->
    Dir = filename:join([?config(priv_dir, Config), "fs-" ++ Options]),
    ok = filelib:ensure_path(Dir),
    "" = os:cmd("mount -t tmpfs -o " ++ Options ++ ",size=1m,mode=755 nook-test " ++ Dir ++ " 2>&1"),
    try
        Root = filename:join(Dir, "root"),
        ok = nook_rootless:make_root(Root),
        Fun(Root)
    after
        os:cmd("umount " ++ Dir)
    end.

limits_option(Config) ->
    Limits = #{pids => 50, nofile => 64, fsize => ?MIB, cpu_time => 7},
    {Out, <<>>, {exit_status, 0}} =
        run("ulimit -p; ulimit -n; ulimit -f; ulimit -t", Config, [{limits, Limits}]),
    ?assertEqual([<<"50">>, <<"64">>, <<"2048">>, <<"7">>], lines(Out)), % -f: 512-byte blocks
    %% A file larger than fsize: the write fails (SIGXFSZ kills dd).
    {_, _, End} = run("dd if=/dev/zero of=/tmp/f bs=1M count=2", Config,
                      [{limits, #{fsize => ?MIB}}]),
    ?assertNotEqual({exit_status, 0}, End).

limits_off(Config) ->
    %% infinity turns one off: the rlimit is left as the caller's.
    {Out, <<>>, {exit_status, 0}} = run("ulimit -n", Config, [{limits, #{nofile => infinity}}]),
    {ok, Caller} = own_rlimit("Max open files"),
    ?assertEqual([Caller], lines(Out)).

fork_bomb(Config) ->
    %% The classic bomb, under a guard of its own (a regression must not take the machine
    %% down): it stays under the default 1024 processes, and the host and the BEAM go on.
    Marker = ?config(marker, Config),
    Bomb = "ulimit -u 2000 2>/dev/null; bomb() { bomb | bomb & }; bomb; sleep 1000",
    {ok, S} = nook_stream:open(["/bin/bash", "-c", Bomb], nook_rootless,
                               cfg(Config, [{environ, [Marker, "PATH=/bin:/usr/bin"]}])),
    Counts = sample(fun() -> length(nook_test_lib:marked_pids(Marker)) end, 20, 100),
    ct:pal("processes in the bomb's container, every 100 ms: ~w", [Counts]),
    ?assert(lists:max(Counts) > 500),  % it did explode
    ?assert(lists:max(Counts) =< 1024),
    %% Another container starts and answers meanwhile.
    ?assertMatch({ok, [{stdout, <<"alive\n">>}, {exit_status, 0}]},
                 nook_stream:run("echo alive", nook_rootless, cfg(Config, []))),
    ok = nook_stream:close(S, 0),
    ?assertEqual(ok, nook_test_lib:await_gone([], Marker, 5000)).

memory_hog(Config) ->
    %% tail keeps every line of /dev/zero, which has no newline: it grows until stopped.
    Limits = #{memory => 64 * ?MIB},
    case maps:get(memory, nook_limits:available()) of
        [] ->
            {skip, "memory is not bounded with this build of priv/nook and no memory cgroup"};
        Enforced ->
            hog(Config, Limits, Enforced =/= [rlimit_data])
    end.

hog(Config, Limits, Cgroup) ->
    {ok, Events} = nook_stream:run("exec tail /dev/zero", nook_rootless,
                                   cfg(Config, [{limits, Limits}])),
    case Cgroup of
        true ->
            ?assertEqual({exit, oom}, lists:last(Events));
        false ->
            %% RLIMIT_DATA: the allocation fails, and tail says so.
            {_, Err, End} = nook_test_lib:events(Events),
            ?assertMatch({exit_status, N} when N =/= 0, End),
            ?assertMatch({_, _}, binary:match(Err, <<"memory exhausted">>)),
            {comment, "no memory cgroup here: stopped by RLIMIT_DATA"}
    end.

cpu_limited(Config) ->
    %% A busy loop given a fifth of a CPU for 1.5 s uses about 0.3 s of it (without the
    %% limit, 1.5 s): a generous bound, not a measurement.
    case cgroup_enforces(cpu) of
        false ->
            {skip, "no cpu cgroup for this user here: CPU time is bounded only by cpu_time"};
        true ->
            Marker = ?config(marker, Config),
            {ok, S} = nook_stream:open("exec sh -c 'while :; do :; done'", nook_rootless,
                                       cfg(Config, [{limits, #{cpu => 0.2}}, {environ, [Marker]}])),
            {ok, [Pid]} = nook_test_lib:await_marked(Marker, ?GUARD_MS),
            timer:sleep(1500),
            Seconds = cpu_seconds(Pid),
            ok = nook_stream:close(S, 0),
            ct:pal("CPU used in 1.5 s at cpu => 0.2: ~.2f s", [Seconds]),
            ?assert(Seconds < 0.75)
    end.

cpu_time_limit(Config) ->
    %% RLIMIT_CPU: a second of CPU, then SIGXCPU.
    {ok, Events} = nook_stream:run("exec sh -c 'while :; do :; done'", nook_rootless,
                                   cfg(Config, [{limits, #{cpu_time => 1}}, {timeout, 30000}])),
    ?assertEqual({termsig, sigxcpu}, lists:last(Events)).

cgroup_namespace(Config) ->
    {Out, <<>>, {exit_status, 0}} = run("cat /proc/self/cgroup", Config, []),
    Lines = lines(Out),
    ?assert(lists:member(<<"0::/">>, Lines)),
    %% v1 hierarchies too: each at its root, nothing of the host's paths.
    [?assertEqual(<<"/">>, lists:last(binary:split(L, <<":">>, [global]))) || L <- Lines].

%% ---- the root directory ----

unsafe_root_writable(Config) ->
    Root = ?config(path, Config),
    ok = file:change_mode(Root, 8#777),
    ?assertEqual({error, {unsafe_root, Root, {writable_by, others}}}, start(Config, [])),
    ok = file:change_mode(Root, 8#775),
    ?assertEqual({error, {unsafe_root, Root, {writable_by, group}}}, start(Config, [])),
    Bin = filename:join(Root, "bin"),
    ok = file:change_mode(Root, 8#755),
    ok = file:change_mode(Bin, 8#757),
    ?assertEqual({error, {unsafe_root, Bin, {writable_by, others}}}, start(Config, [])),
    ?assertEqual({error, {unsafe_root, Bin, {writable_by, others}}}, nook_rootless:make_root(Root)).

unsafe_root_owner(_Config) ->
    %% A directory of someone else's (root's, for an unprivileged caller; /proc/1 is never
    %% ours and no one can chown it).
    case nook_root:uid() of
        0 ->
            {skip, "root owns everything it may use: see root_owned_by_other"};
        _ ->
            ?assertMatch({error, {unsafe_root, "/usr", {owner, 0}}},
                         nook_stream:run("true", nook_rootless, [{path, "/usr"}]))
    end.

unsafe_root_symlink(Config) ->
    %% /tmp/x -> someone's private directory: refused, nothing made there.
    Target = filename:join(?config(base, Config), "private"),
    ok = file:make_dir(Target),
    Link = filename:join(?config(base, Config), "link"),
    ok = file:make_symlink(Target, Link),
    ?assertEqual({error, {unsafe_root, Link, symlink}}, start([{path, Link}], [])),
    ?assertEqual({error, {unsafe_root, Link, symlink}}, nook_rootless:make_root(Link)),
    ?assertEqual({ok, []}, file:list_dir(Target)).

unsafe_skeleton_symlink(Config) ->
    Root = ?config(path, Config),
    Usr = filename:join(Root, "usr"),
    ok = file:del_dir(Usr),
    ok = file:make_symlink(?config(base, Config), Usr),
    ?assertEqual({error, {unsafe_root, Usr, symlink}}, start(Config, [])).

make_root_symlink_untouched(Config) ->
    %% The attack of a pre-made skeleton with etc/ld.so.preload in a directory of someone
    %% else's is the owner case; pointing at a directory the caller owns must not make the
    %% skeleton inside it either.
    Victim = filename:join(?config(base, Config), "victim"),
    ok = file:make_dir(Victim),
    Link = filename:join(?config(base, Config), "x"),
    ok = file:make_symlink(Victim, Link),
    {error, {unsafe_root, Link, symlink}} = nook_rootless:make_root(Link),
    ?assertEqual({ok, []}, file:list_dir(Victim)).

unsafe_ancestor(Config) ->
    %% A directory above the root that others may write (and not sticky): they could swap
    %% the root for another.
    Shared = filename:join(?config(base, Config), "shared"),
    ok = file:make_dir(Shared),
    ok = file:change_mode(Shared, 8#777),
    Root = filename:join(Shared, "root"),
    ok = file:make_dir(Root),
    ok = file:change_mode(Root, 8#755),
    ?assertEqual({error, {unsafe_root, Shared, {writable_by, others}}}, nook_rootless:make_root(Root)),
    %% Sticky, as /tmp is: others cannot rename what is ours in it. (file:change_mode/2
    %% cannot set the sticky bit.)
    "" = os:cmd("chmod 1777 '" ++ Shared ++ "'"),
    ?assertEqual(ok, nook_rootless:make_root(Root)).

symlink_ancestor_resolved(Config) ->
    %% A symlink of ours above the root is followed (and checked as a directory there); the
    %% container runs in the real directory.
    Link = filename:join(?config(base, Config), "via"),
    ok = file:make_symlink(?config(base, Config), Link),
    Through = filename:join(Link, "root"),
    ?assertMatch({ok, [{stdout, <<"ok\n">>}, {exit_status, 0}]},
                 nook_stream:run("echo ok", nook_rootless, [{path, Through}])).

root_swapped(Config) ->
    %% What the container opens is matched with what was checked: another directory there
    %% in between (the same path) is refused.
    Root = ?config(path, Config),
    {ok, Checked} = nook_root:check(Root, ["bin"], nook_root:uid()),
    [{Root, _}, {Bin, _}] = Checked,
    Opened = fun(Dir) -> {ok, #file_info{major_device = D, inode = I}} = file:read_link_info(Dir),
                         {ok, #{dev => D, ino => I}}
             end,
    ?assertMatch({ok, #{Root := 5, Bin := 6}},
                 nook_root:verify(Checked, [{ok, 5}, Opened(Root), {ok, 6}, Opened(Bin)])),
    ok = file:rename(Bin, Bin ++ ".old"),
    ok = file:make_dir(Bin),
    ?assertEqual({error, {unsafe_root, Bin, changed}},
                 nook_root:verify(Checked, [{ok, 5}, Opened(Root), {ok, 6}, Opened(Bin)])).

fstab_mount_point(Config) ->
    %% An fstab entry's mount point is made when missing (never silently skipped), and
    %% checked like the rest.
    Source = filename:join(?config(base, Config), "data"),
    ok = file:make_dir(Source),
    ok = file:write_file(filename:join(Source, "f"), <<"data\n">>),
    ?assertEqual({<<"data\n">>, <<>>, {exit_status, 0}},
                 run("cat " ++ Source ++ "/f", Config, [{fstab, [Source]}])),
    Point = filename:join(?config(path, Config), string:trim(Source, leading, "/")),
    ?assert(filelib:is_dir(Point)),
    %% A symlink there is refused.
    ok = file:del_dir(Point),
    ok = file:make_symlink("/etc", Point),
    ?assertEqual({error, {unsafe_root, Point, symlink}}, start(Config, [{fstab, [Source]}])),
    %% A source that is not there is named before anything starts.
    Missing = filename:join(?config(base, Config), "missing"),
    ?assertEqual({error, {fstab, Missing, enoent}}, start(Config, [{fstab, [Missing]}])).

%% ---- output and ending ----

max_output_truncate(Config) ->
    {ok, Events} = nook_stream:run("yes | head -c 100000; echo done >&2", nook_rootless,
                                   cfg(Config, [{max_output, 1000}])),
    {Out, <<>>, {exit_status, 0}} = nook_test_lib:events([E || E <- Events, element(1, E) =/= truncated]),
    ?assertEqual(1000, byte_size(Out)),
    ?assertEqual([{truncated, stdout}], [E || {truncated, _} = E <- Events]).

max_output_kill(Config) ->
    Marker = ?config(marker, Config),
    {ok, Events} = nook_stream:run("yes", nook_rootless,
                                   cfg(Config, [{max_output, 1000}, {on_max_output, kill},
                                                {environ, [Marker]}])),
    ?assertEqual({exit, max_output}, lists:last(Events)),
    Out = << <<B/binary>> || {stdout, B} <- Events >>,
    ?assertEqual(1000, byte_size(Out)),
    ?assertEqual(ok, nook_test_lib:await_gone([], Marker, ?GONE_MS)).

timeout_graceful(Config) ->
    %% A program that traps SIGTERM gets it when its time is up, and says goodbye.
    Cmd = "trap 'echo bye; exit 3' TERM; echo started; while :; do sleep 0.05; done",
    {ok, S} = nook_stream:open(Cmd, nook_rootless, cfg(Config, [{timeout, 300}, {kill_after, 5000}])),
    %% (The shell may say on stderr that its sleep was terminated.)
    {Out, _, End} = nook_test_lib:events(drain(S)),
    ?assertEqual(<<"started\nbye\n">>, Out),
    ?assertEqual({timeout, 300}, End).

timeout_stubborn(Config) ->
    %% One that ignores it is killed after the grace.
    Marker = ?config(marker, Config),
    Cmd = "trap '' TERM; echo started; while :; do sleep 0.05; done",
    T0 = erlang:monotonic_time(millisecond),
    {ok, Events} = nook_stream:run(Cmd, nook_rootless,
                                   cfg(Config, [{timeout, 200}, {kill_after, 400},
                                                {environ, [Marker, "PATH=/bin:/usr/bin"]}])),
    Took = erlang:monotonic_time(millisecond) - T0,
    ?assertEqual({<<"started\n">>, <<>>, {timeout, 200}}, nook_test_lib:events(Events)),
    ?assert(Took >= 600),
    ?assertEqual(ok, nook_test_lib:await_gone([], Marker, ?GONE_MS)).

close_graceful(Config) ->
    %% close/2: SIGTERM first, which a program may act on (here: a file it leaves)...
    Said = filename:join(?config(base, Config), "said"),
    Marker = ?config(marker, Config),
    Env = [Marker, "PATH=/bin:/usr/bin"],
    Cmd = "trap 'echo bye > " ++ Said ++ "; exit 3' TERM; echo started; while :; do sleep 0.05; done",
    {ok, S} = nook_stream:open(Cmd, nook_process, [{environ, Env}]),
    ?assertEqual({ok, [{stdout, <<"started\n">>}]}, nook_stream:recv(S, ?GUARD_MS)),
    ok = nook_stream:close(S, 5000),
    ?assertEqual({ok, <<"bye\n">>}, file:read_file(Said)),
    ?assertEqual(ok, nook_test_lib:await_gone([], Marker, ?GONE_MS)),
    %% ...then SIGKILL for one that does not.
    {ok, S2} = nook_stream:open("trap '' TERM; echo started; while :; do sleep 0.05; done",
                                nook_process, [{environ, Env}]),
    ?assertEqual({ok, [{stdout, <<"started\n">>}]}, nook_stream:recv(S2, ?GUARD_MS)),
    T0 = erlang:monotonic_time(millisecond),
    ok = nook_stream:close(S2, 300),
    ?assert(erlang:monotonic_time(millisecond) - T0 >= 300),
    ?assertEqual(ok, nook_test_lib:await_gone([], Marker, ?GONE_MS)).

%% ---- the API under bad input ----

options_checked(Config) ->
    Base = cfg(Config, []),
    ?assertEqual({error, {badopt, {timout, 10}}}, nook_stream:run("true", nook_rootless, [{timout, 10} | Base])),
    ?assertEqual({error, {badopt, 100}}, nook_stream:run("true", nook_rootless, [timeout, 100])),
    ?assertEqual({error, {badopt, {uid, -1}}}, nook_stream:run("true", nook_rootless, [{uid, -1} | Base])),
    ?assertEqual({error, {badopt, {limits, #{pids => 0}}}},
                 nook_stream:run("true", nook_rootless, [{limits, #{pids => 0}} | Base])),
    ?assertEqual({error, {badopt, {limits, #{memroy => 1}}}},
                 nook_stream:run("true", nook_rootless, [{limits, #{memroy => 1}} | Base])),
    ?assertEqual({error, {badopt, {net, maybe}}}, nook_stream:run("true", nook_process, [{net, maybe}])),
    ?assertEqual({error, {badopt, not_a_config}}, nook_stream:run("true", nook_process, not_a_config)),
    %% A map works as a proplist does.
    ?assertMatch({ok, [{stdout, <<"hi\n">>}, {exit_status, 0}]},
                 nook_stream:run("echo hi", nook_rootless, maps:from_list([{timeout, 5000} | Base]))).

stdin_not_iodata(_Config) ->
    {ok, T} = nook:fork(),
    {ok, C} = nook:fork(T),
    ?assertError(badarg, nook:stdin(C, foo)),
    ?assertError(badarg, nook:stdin(C, [1, foo])),
    ?assert(is_process_alive(C)),
    ?assert(is_integer(nook:getpid(C))),
    ok = nook:stop(T).

not_a_task(_Config) ->
    P = spawn_link(fun() -> receive stop -> ok end end),
    {ok, T} = nook:fork(),
    Calls = [fun() -> nook:getpid(P) end, fun() -> nook:pidof(P) end,
             fun() -> nook:cpid(T, P) end, fun() -> nook:setcpid(T, P, flowcontrol, 1) end,
             fun() -> nook:stop(P) end, fun() -> nook:stdin(P, <<"x">>) end,
             fun() -> nook:fork(P) end],
    Self = self(),
    [begin
         W = spawn_link(fun() -> Self ! {done, self(), catch F()} end),
         ?assertMatch({'EXIT', {badarg, _}}, receive {done, W, R} -> R after 2000 -> hung end)
     end || F <- Calls],
    P ! stop,
    ok = nook:stop(T).

process_limits(_Config) ->
    %% nook_process takes the same limits; by default only core is bounded.
    {ok, Events} = nook_stream:run("ulimit -n; ulimit -c", nook_process, [{limits, #{nofile => 100}}]),
    ?assertEqual({<<"100\n0\n">>, <<>>, {exit_status, 0}}, nook_test_lib:events(Events)).

cgroups_removed(Config) ->
    case nook_cgroup:node_dirs() of
        [] ->
            {skip, "no cgroup can be made here by this user"};
        Dirs ->
            %% (What an earlier suite left, its keeper restarted with the application, is
            %% removed a scan period later: not this case's.)
            Before = containers_in(Dirs),
            [nook_stream:run("true", nook_rootless, cfg(Config, [])) || _ <- lists:seq(1, 200)],
            %% Trees kept ready by the pool keep their cgroups: they go with the pool.
            ok = nook_pool:stop_all(),
            ?assertEqual(ok, nook_test_lib:until(fun() -> nook_cgroup_keeper:pending() =:= 0 end, 5000)),
            ?assertEqual([], containers_in(Dirs) -- Before)
    end.

%% The containers' cgroup directories in the node's directories.
containers_in(Dirs) ->
    [filename:join(D, N) || D <- Dirs, {ok, L} <- [file:list_dir(D)], N <- L,
                            filelib:is_dir(filename:join(D, N))].

%% ---- root ----

root_maps_to_nobody(Config) ->
    %% A root caller's container is nobody on the host: a root-only file bound in is out
    %% of its reach, and its processes run as 65534.
    Secret = secret_dir(Config),
    Marker = ?config(marker, Config),
    {_, Err, End} = run("cat " ++ Secret ++ "/secret", Config, [{fstab, [Secret]}]),
    ?assertMatch({exit_status, N} when N =/= 0, End),
    ?assertMatch({_, _}, binary:match(Err, <<"Permission denied">>)),
    {ok, S} = nook_stream:open("exec sleep 1000", nook_rootless, cfg(Config, [{environ, [Marker]}])),
    {ok, [Pid]} = nook_test_lib:await_marked(Marker, ?GUARD_MS),
    {ok, Status} = file:read_file("/proc/" ++ integer_to_list(Pid) ++ "/status"),
    [UidLine] = [L || L <- lines(Status), binary:match(L, <<"Uid:">>) =/= nomatch],
    ?assertEqual([<<"Uid:">>, <<"65534">>, <<"65534">>, <<"65534">>, <<"65534">>],
                 binary:split(UidLine, [<<"\t">>, <<" ">>], [global, trim_all])),
    ok = nook_stream:close(S, 0).

host_root_explicit(Config) ->
    Secret = secret_dir(Config),
    ?assertEqual({<<"secret\n">>, <<>>, {exit_status, 0}},
                 run("cat " ++ Secret ++ "/secret", Config, [{fstab, [Secret]}, {host_root, true}])).

root_owned_by_other(Config) ->
    %% Another user made the root, skeleton and all, with an ld.so.preload of theirs.
    Root = ?config(path, Config),
    ok = filelib:ensure_dir(filename:join([Root, "etc", "x"])),
    ok = file:write_file(filename:join([Root, "etc", "ld.so.preload"]), <<"/tmp/evil.so\n">>),
    [ok = file:change_owner(D, ?NOBODY) || D <- [Root | [filename:join(Root, N) || N <- ["etc", "bin", "usr"]]]],
    ?assertEqual({error, {unsafe_root, Root, {owner, ?NOBODY}}}, start(Config, [])),
    ?assertEqual({error, {unsafe_root, Root, {owner, ?NOBODY}}}, nook_rootless:make_root(Root)).

cgroups_removed_after_kill9(_Config) ->
    %% A node killed outright leaves its cgroups; the next node's first container removes them.
    case nook_cgroup:node_dirs() of
        [] ->
            {skip, "no cgroup can be made here"};
        Dirs ->
            Parents = lists:usort([filename:dirname(D) || D <- Dirs]),
            Before = node_dirs_in(Parents),
            Start = fun() -> peer_start() end,
            {Peer1, OsPid1} = Start(),
            ?assertEqual(ok, nook_test_lib:until(fun() -> node_dirs_in(Parents) -- Before =/= [] end, ?GUARD_MS)),
            Left = node_dirs_in(Parents) -- Before,
            os:cmd("kill -KILL " ++ OsPid1),
            catch peer:stop(Peer1),
            {Peer2, _} = Start(),
            ?assertEqual(ok, nook_test_lib:until(fun() -> [D || D <- Left, filelib:is_dir(D)] =:= [] end, ?GUARD_MS)),
            peer:stop(Peer2),
            ok
    end.

%% ---- helpers ----

cfg(Config, Extra) -> Extra ++ [{path, ?config(path, Config)}].

run(Cmd, Config, Extra) ->
    {ok, Events} = nook_stream:run(Cmd, nook_rootless, cfg(Config, Extra)),
    nook_test_lib:events(Events).

%% Start a container and take it down: only whether it could start matters.
start(Config, Extra) ->
    case nook_stream:run("true", nook_rootless, cfg(Config, Extra)) of
        {ok, _} -> ok;
        {error, _} = Error -> Error
    end.

drain(S) ->
    case nook_stream:recv(S, ?GUARD_MS) of
        {ok, Events} -> Events ++ drain(S);
        eof -> [];
        {error, timeout} -> [timeout]
    end.

lines(Bin) -> binary:split(Bin, <<"\n">>, [global, trim_all]).

sample(Fun, N, Ms) ->
    [begin timer:sleep(Ms), Fun() end || _ <- lists:seq(1, N)].


cgroup_enforces(Controller) ->
    case maps:get(Controller, nook_limits:available()) of
        [{cgroup, _}] -> true;
        Mechanisms -> lists:keymember(cgroup, 1, Mechanisms)
    end.

%% The cgroup directory of the program's controller, as /proc/PID/cgroup says on the host.
cgroup_of_program(Cmd, Config, Extra) ->
    Marker = ?config(marker, Config),
    {ok, S} = nook_stream:open(Cmd, nook_rootless, cfg(Config, [{environ, [Marker]} | Extra])),
    {ok, [Pid]} = nook_test_lib:await_marked(Marker, ?GUARD_MS),
    {ok, Bin} = file:read_file("/proc/" ++ integer_to_list(Pid) ++ "/cgroup"),
    {S, [binary:split(L, <<":">>, [global]) || L <- lines(Bin)]}.

read_int({S, Lines}, Controller, Files) ->
    #{Controller := {ok, NodeDir}} = nook_cgroup:controllers(),
    Name = atom_to_binary(Controller),
    [Path] = [P || [_, Cs, P] <- Lines, lists:member(Name, binary:split(Cs, <<",">>, [global]))]
        ++ [P || [<<"0">>, <<>>, P] <- Lines, string:find(NodeDir, "unified") =/= nomatch],
    Leaf = filename:basename(binary_to_list(Path)),
    Values = [binary_to_integer(string:trim(B)) || F <- Files,
                                                  {ok, B} <- [file:read_file(filename:join([NodeDir, Leaf, F]))]],
    ok = nook_stream:close(S, 0),
    hd(Values).

%% utime + stime of a process, in seconds.
cpu_seconds(Pid) ->
    {ok, Stat} = file:read_file("/proc/" ++ integer_to_list(Pid) ++ "/stat"),
    [_, After] = binary:split(Stat, <<")">>),
    Fields = binary:split(After, <<" ">>, [global, trim_all]),
    %% utime and stime are fields 14 and 15 of stat, the 12th and 13th after the name.
    Ticks = binary_to_integer(lists:nth(12, Fields)) + binary_to_integer(lists:nth(13, Fields)),
    Ticks / 100.

own_rlimit(Name) ->
    {ok, Bin} = file:read_file("/proc/self/limits"),
    [Line] = [L || L <- lines(Bin), binary:match(L, list_to_binary(Name)) =/= nomatch],
    [Soft | _] = binary:split(string:trim(binary:part(Line, 26, byte_size(Line) - 26)), <<" ">>, [global, trim_all]),
    {ok, Soft}.

%% A directory with a file only root may read.
secret_dir(Config) ->
    Dir = filename:join(?config(base, Config), "secret"),
    ok = file:make_dir(Dir),
    ok = file:change_mode(Dir, 8#755),
    File = filename:join(Dir, "secret"),
    ok = file:write_file(File, <<"secret\n">>),
    ok = file:change_mode(File, 8#600),
    Dir.

node_dirs_in(Parents) ->
    [filename:join(P, N) || P <- Parents, {ok, Ns} <- [file:list_dir(P)], N <- Ns,
                            lists:prefix("nook.", N)].

%% A BEAM of its own with a container running: {Peer, OsPid}.
peer_start() ->
    Paths = lists:append([["-pa", filename:dirname(code:which(M))] || M <- [nook, ?MODULE]]),
    {ok, Peer, _Node} = peer:start(#{name => peer:random_name(), args => Paths,
                                     connection => standard_io}),
    OsPid = peer:call(Peer, os, getpid, []),
    ok = peer:call(Peer, ?MODULE, hold_container, []),
    {Peer, OsPid}.

%% In a peer: a container that lives until the peer does.
hold_container() ->
    Self = self(),
    spawn(fun() ->
                  {ok, S} = nook_stream:open("exec sleep 1000", nook_rootless, []),
                  Self ! started,
                  receive after infinity -> S end
          end),
    receive started -> ok end.
