%% SPDX-License-Identifier: ISC
%% @doc No survivors: after each way a tree can end, none of its processes remains a second
%% later, zombies included. nook processes are found by pid, programs by a marker in their
%% environment, which their own children inherit.
-module(nook_lifecycle_SUITE).

-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").

-export([all/0, init_per_testcase/2, end_per_testcase/2]).
-export([owner_exits/1, stop_root/1, stop_execed_task/1, stop_call_task_with_children/1,
         port_sigkill/1, midtree_sigkill/1, daemon_after_program_exits/1,
         daemon_then_stop_root/1, midtree_sigkill_with_background_job/1,
         exit_reports_status/1]).

%% The contract: gone within a second.
-define(GONE_MS, 1000).

all() ->
    [owner_exits, stop_root, stop_execed_task, stop_call_task_with_children, port_sigkill,
     midtree_sigkill, daemon_after_program_exits, daemon_then_stop_root,
     midtree_sigkill_with_background_job, exit_reports_status].

init_per_testcase(_Case, Config) ->
    process_flag(trap_exit, true),
    [{marker, nook_test_lib:marker()} | Config].

end_per_testcase(_Case, _Config) ->
    ok.

%% A root, a call-mode child with an exec'd grandchild, and an exec'd child: every kind of
%% process a tree has. Returns the root, the tasks and the OS pids of the nook processes.
build_tree(Marker) ->
    {ok, Root} = nook:fork(),
    {ok, Mid} = nook:fork(Root),
    {ok, Leaf} = nook:fork(Mid),
    ok = nook:execve(Leaf, "/bin/sleep", ["sleep", "1000"], [Marker]),
    {ok, Prog} = nook:fork(Root),
    ok = nook:execve(Prog, "/bin/sleep", ["sleep", "1000"], [Marker]),
    Pids = [nook:pidof(T) || T <- [Root, Mid, Leaf, Prog]],
    ?assert(lists:all(fun nook_test_lib:exists/1, Pids)),
    ?assertEqual(2, length(nook_test_lib:marked_pids(Marker))),
    {Root, #{mid => Mid, leaf => Leaf, prog => Prog}, Pids}.

gone(Pids, Marker) ->
    ?assertEqual(ok, nook_test_lib:await_gone(Pids, Marker, ?GONE_MS)).

owner_exits(Config) ->
    Marker = ?config(marker, Config),
    Self = self(),
    Owner = spawn(fun() ->
                          {_Root, _Tasks, Pids} = build_tree(Marker),
                          Self ! {pids, Pids},
                          receive exit -> ok end
                  end),
    Pids = receive {pids, P} -> P after 10000 -> ct:fail(no_tree) end,
    Owner ! exit,
    gone(Pids, Marker).

stop_root(Config) ->
    Marker = ?config(marker, Config),
    {Root, _Tasks, Pids} = build_tree(Marker),
    ok = nook:stop(Root),
    gone(Pids, Marker).

stop_execed_task(Config) ->
    Marker = ?config(marker, Config),
    {Root, #{prog := Prog, leaf := Leaf}, _Pids} = build_tree(Marker),
    ProgPid = nook:pidof(Prog),
    ok = nook:stop(Prog),
    %% stop/1 returns once the parent has reaped the process: it is already gone.
    ?assertNot(nook_test_lib:exists(ProgPid)),
    ?assertEqual(false, is_process_alive(Prog)),
    %% The rest of the tree is untouched.
    ?assert(nook_test_lib:exists(nook:pidof(Leaf))),
    ?assertEqual([], [C || #{pid := P} = C <- nook:cpid(Root), P =:= ProgPid]),
    ok = nook:stop(Root).

stop_call_task_with_children(Config) ->
    Marker = ?config(marker, Config),
    {Root, #{mid := Mid, leaf := Leaf}, _} = build_tree(Marker),
    Below = [nook:pidof(Mid), nook:pidof(Leaf)],
    ok = nook:stop(Mid),
    gone(Below, undefined),
    ?assertEqual(false, is_process_alive(Leaf)),
    ok = nook:stop(Root).

port_sigkill(Config) ->
    Marker = ?config(marker, Config),
    {Root, _Tasks, Pids = [RootPid | _]} = build_tree(Marker),
    os:cmd("kill -9 " ++ integer_to_list(RootPid)),
    %% The root task ends and says why.
    receive
        {'EXIT', Root, Reason} -> ?assertMatch({shutdown, {nook_exit, _}}, Reason)
    after 5000 -> ct:fail(root_task_alive)
    end,
    %% With the root gone, its children are killed by PR_SET_PDEATHSIG and handed to init:
    %% dead within the second, but reaping them is init's job then (this machine's init
    %% takes up to two seconds), so zombies are allowed only as init's.
    {ok, Zombies} = nook_test_lib:await_dead(Pids, Marker, ?GONE_MS),
    ?assertEqual([], [Z || {_, PPid} = Z <- Zombies, PPid =/= 1]),
    ?assertEqual(ok, nook_test_lib:await_gone(Pids, Marker, 10000)).

midtree_sigkill(Config) ->
    Marker = ?config(marker, Config),
    {Root, #{mid := Mid}, [_, MidPid, LeafPid, _]} = build_tree(Marker),
    os:cmd("kill -9 " ++ integer_to_list(MidPid)),
    ?assertEqual({termsig, sigkill}, receive {termsig, Mid, S} -> {termsig, S} after 5000 -> timeout end),
    gone([MidPid, LeafPid], undefined),
    ok = nook:stop(Root).

midtree_sigkill_with_background_job(Config) ->
    %% A program with a job of its own, below a nook process that is killed: the job is
    %% adopted by the nearest nook process still alive, which kills it.
    Marker = ?config(marker, Config),
    {ok, Root} = nook:fork(),
    {ok, Mid} = nook:fork(Root),
    {ok, Sh} = nook:fork(Mid),
    ok = nook:execve(Sh, "/bin/sh", ["sh", "-c", "sleep 1000 & echo started; wait"], [Marker]),
    ?assertMatch({stdout, Sh, <<"started\n">>}, receive M -> M after 5000 -> timeout end),
    %% the job may still be between fork and exec: wait until /proc shows both
    ?assertEqual(ok, await_marked(Marker, 2, 5000)),
    MidPid = nook:pidof(Mid),
    os:cmd("kill -9 " ++ integer_to_list(MidPid)),
    gone([MidPid], Marker),
    ok = nook:stop(Root).

daemon_after_program_exits(Config) ->
    %% The classic daemon: background, new session, parent exits at once.
    Marker = ?config(marker, Config),
    {ok, Root} = nook:fork(),
    {ok, Sh} = nook:fork(Root),
    ok = nook:execve(Sh, "/bin/sh", ["sh", "-c", "(setsid sleep 1000 &); exit 0"], [Marker]),
    ?assertEqual({<<>>, <<>>, {exit_status, 0}}, nook_test_lib:collect(Sh, 5000)),
    gone([], Marker),
    ok = nook:stop(Root).

daemon_then_stop_root(Config) ->
    Marker = ?config(marker, Config),
    {ok, Root} = nook:fork(),
    {ok, Sh} = nook:fork(Root),
    ok = nook:execve(Sh, "/bin/sh",
                     ["sh", "-c", "(setsid sleep 1000 &); echo started; exec sleep 1000"], [Marker]),
    ?assertMatch({stdout, Sh, <<"started\n">>}, receive M -> M after 5000 -> timeout end),
    RootPid = nook:pidof(Root),
    ok = nook:stop(Root),
    gone([RootPid], Marker).

exit_reports_status(_Config) ->
    %% exit/2 on the root: ok, then the status, and the port is gone.
    {ok, Root} = nook:fork(),
    RootPid = nook:pidof(Root),
    ?assertEqual(ok, nook:exit(Root, 7)),
    ?assertEqual({exit_status, 7}, receive {exit_status, Root, N} -> {exit_status, N} after 5000 -> timeout end),
    gone([RootPid], undefined).

await_marked(Marker, N, Left) ->
    case length(nook_test_lib:marked_pids(Marker)) of
        N -> ok;
        _ when Left =< 0 -> {error, nook_test_lib:marked_pids(Marker)};
        _ -> timer:sleep(10), await_marked(Marker, N, Left - 10)
    end.
