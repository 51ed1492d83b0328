%% SPDX-License-Identifier: ISC
%% @doc Op lists: order, errors with the op and what remained, errexit, state, transform,
%% nesting, ops that return ops; and that runs of plain calls go as one batch that behaves
%% exactly as the calls one by one would.
-module(nook_op_SUITE).

-include_lib("stdlib/include/assert.hrl").

-export([all/0, init_per_testcase/2, end_per_testcase/2]).
-export([runs_in_order/1, error_names_op_and_remaining/1, errexit_false_goes_on/1,
         state_and_transform/1, ops_returning_ops/1, badop/1, batch_is_one_round_trip/1, process_ops_one_batch/1, describe_with_options/1,
         batch_refused_element/1, batch_raw/1, batch_refuses_forks/1,
         filtered_call_in_batch/1, batch_refs_raw/1, batch_refs_malformed/1,
         result_refs_in_ops/1, result_ref_outside_run/1, nested_lists_one_batch/1]).
-export([check_state/2, more_ops/1]).

all() ->
    [runs_in_order, error_names_op_and_remaining, errexit_false_goes_on, state_and_transform,
     ops_returning_ops, badop, batch_is_one_round_trip, process_ops_one_batch, describe_with_options, batch_refused_element, batch_raw,
     batch_refuses_forks, filtered_call_in_batch, batch_refs_raw, batch_refs_malformed,
     result_refs_in_ops, result_ref_outside_run, nested_lists_one_batch].

init_per_testcase(_Case, Config) ->
    {ok, Root} = nook:fork(),
    {ok, Task} = nook:fork(Root),
    [{root, Root}, {task, Task} | Config].

end_per_testcase(_Case, Config) ->
    nook:stop(proplists:get_value(root, Config)).

task(Config) -> proplists:get_value(task, Config).

runs_in_order(Config) ->
    T = task(Config),
    Ops = [{chdir, ["/"]}, [{chdir, ["/tmp"]}, [{setenv, ["NOOK_OP", "1", 1]}]],
           {nook, chdir, ["/usr"]}],
    ?assertEqual({ok, undefined}, nook_op:run(T, Ops)),
    ?assertEqual({ok, <<"/usr">>}, nook:getcwd(T)),
    ?assertEqual(<<"1">>, nook:getenv(T, "NOOK_OP")).

error_names_op_and_remaining(Config) ->
    T = task(Config),
    Ops = [{chdir, ["/"]}, {chdir, ["/nonexistent"]}, {chdir, ["/tmp"]}, {getpid, []}],
    ?assertEqual({error, #{op => {chdir, ["/nonexistent"]}, reason => {error, enoent},
                           remaining => [{chdir, ["/tmp"]}, {getpid, []}]}},
                 nook_op:run(T, Ops)),
    %% nothing after the failing op ran
    ?assertEqual({ok, <<"/">>}, nook:getcwd(T)).

errexit_false_goes_on(Config) ->
    T = task(Config),
    Ops = [{nook, chdir, ["/nonexistent"], [{errexit, false}]}, {chdir, ["/tmp"]}],
    ?assertEqual({ok, undefined}, nook_op:run(T, Ops)),
    ?assertEqual({ok, <<"/tmp">>}, nook:getcwd(T)).

state_and_transform(Config) ->
    T = task(Config),
    Ops = [{nook, getcwd, []},
           {?MODULE, check_state, [], [state]},
           {nook, getpid, [], [{transform, fun(Pid) when is_integer(Pid) -> {ok, Pid} end}]}],
    ?assertEqual({ok, nook:pidof(T)}, nook_op:run(T, Ops)).

check_state({ok, _} = Cwd, _Task) -> Cwd;
check_state(Cwd, _Task) when is_binary(Cwd) -> {ok, {seen, Cwd}}.

ops_returning_ops(Config) ->
    T = task(Config),
    ?assertEqual({ok, undefined}, nook_op:run(T, [{?MODULE, more_ops, []}, {chdir, ["/usr"]}])),
    ?assertEqual(<<"2">>, nook:getenv(T, "NOOK_MORE")),
    ?assertEqual({ok, <<"/usr">>}, nook:getcwd(T)).

more_ops(_Task) -> [{chdir, ["/tmp"]}, {setenv, ["NOOK_MORE", "2", 1]}].

badop(Config) ->
    T = task(Config),
    ?assertMatch({error, #{op := {getpid, []}, reason := {badop, _}, remaining := [{chdir, ["/"]}]}},
                 nook_op:run(T, [{getpid, []}, {chdir, ["/"]}])).

batch_is_one_round_trip(Config) ->
    %% Many plain ops: one request to the port, seen as one call in the task's trace.
    T = task(Config),
    Ops = [{chdir, ["/"]} || _ <- lists:seq(1, 50)] ++ [{setenv, ["NOOK_BATCH", "x", 1]}],
    erlang:trace(T, true, ['receive']),
    ?assertEqual({ok, undefined}, nook_op:run(T, Ops)),
    erlang:trace(T, false, ['receive']),
    Requests = [M || {trace, _, 'receive', {'$gen_call', _, {call, _, _} = M}} <- flush()],
    ?assertMatch([{call, batch, [_]}], Requests),
    ?assertEqual(<<"x">>, nook:getenv(T, "NOOK_BATCH")),
    %% calls with options, as prx writes them, batch too
    Prx = [{chdir, ["/"], [{errexit, true}]} || _ <- lists:seq(1, 5)] ++ [{setenv, ["NOOK_PRX", "y", 1], []}],
    erlang:trace(T, true, ['receive']),
    ?assertMatch({ok, _}, nook_op:run(T, Prx)),
    erlang:trace(T, false, ['receive']),
    ?assertMatch([{call, batch, [_]}],
                 [M || {trace, _, 'receive', {'$gen_call', _, {call, _, _} = M}} <- flush()]).

process_ops_one_batch(_Config) ->
    %% A default nook_process start (no uid to take, so nothing to ask the port) sends its
    %% ops to the task that execs as one batch.
    Size = application:get_env(nook, pool_size, 2),
    application:set_env(nook, pool_size, 0),
    try
        erlang:trace(new_processes, true, ['receive']),
        {ok, Tree} = nook_behaviour:start(nook_process, []),
        erlang:trace(new_processes, false, ['receive']),
        Task = nook_behaviour:exec_task(Tree),
        nook_behaviour:stop(Tree),
        ?assertMatch([{call, batch, [_]}],
                     [M || {trace, T, 'receive', {'$gen_call', _, {call, _, _} = M}} <- flush(),
                           T =:= Task])
    after
        application:set_env(nook, pool_size, Size)
    end.

describe_with_options(_Config) ->
    %% A failed op reads the same with options as without, whatever its arguments, and a
    %% label stands for its first.
    Failed = fun(Op) -> #{op => Op, reason => {error, eperm}, remaining => []} end,
    Describe = fun(Op) -> nook_behaviour:describe(Failed(Op)) end,
    ?assertEqual(Describe({setsid, []}), Describe({nook, setsid, [], [{errexit, true}]})),
    ?assertEqual(Describe({setsid, []}), Describe({setsid, [], [{label, x}]})),
    ?assertEqual(Describe({chdir, ["/x"]}), Describe({chdir, ["/y"], [{label, "/x"}]})),
    ?assertEqual({cd, "/x", eperm}, Describe({nook, chdir, ["/x"], [{label, {step, {cd, "/x"}}}]})).

batch_refused_element(Config) ->
    %% A term no call takes (a fun) in one op: the batch is refused whole and the ops run one
    %% by one, so the failing op is still named exactly.
    T = task(Config),
    Bad = {chdir, [fun() -> ok end]},
    ?assertMatch({error, #{op := Bad, reason := {error, {error, badarg}}, remaining := [{getpid, []}]}},
                 nook_op:run(T, [{chdir, ["/"]}, Bad, {getpid, []}])).

batch_raw(Config) ->
    T = task(Config),
    Id = fun nook_calls:id/1,
    ?assertEqual([{0, ok}, {0, {error, enoent}}],
                 nook:call(T, batch, [[{Id(chdir), {"/"}, stop}, {Id(chdir), {"/nope"}, stop},
                                       {Id(chdir), {"/tmp"}, stop}]])),
    ?assertEqual([{0, {error, enoent}}, {0, ok}],
                 nook:call(T, batch, [[{Id(chdir), {"/nope"}, continue}, {Id(chdir), {"/tmp"}, stop}]])),
    ?assertEqual([{1, badarg}], nook:call(T, batch, [[{Id(chdir), {1}, stop}, {Id(getpid), {}, stop}]])),
    ?assertEqual([], nook:call(T, batch, [[]])),
    ?assertError(badarg, nook:call(T, batch, [[{Id(chdir), {"/"}, maybe}]])),
    ?assertError(badarg, nook:call(T, batch, [not_a_list])).

batch_refuses_forks(Config) ->
    %% priv/nook refuses in a batch every call calls.def marks alone, as nook_calls says.
    T = task(Config),
    Alone = [C || {C, _} <- nook_calls:all(), lists:member(alone, nook_calls:flags(C))],
    ?assertEqual([batch, clone, execve, execvp, exit, fexecve, fork, reexec], lists:sort(Alone)),
    [?assertError(badarg, nook:call(T, batch, [[{nook_calls:id(C), {}, stop}]])) || C <- Alone],
    ?assertEqual([], nook:cpid(T)).

filtered_call_in_batch(Config) ->
    %% Each element is checked against the filter, as if sent alone.
    T = task(Config),
    ok = nook:filter(T, [getcwd]),
    Id = fun nook_calls:id/1,
    ?assertEqual([{0, ok}, {1, undef}],
                 nook:call(T, batch, [[{Id(chdir), {"/"}, stop}, {Id(getcwd), {}, stop}]])).

batch_refs_raw(Config) ->
    %% open's fd goes into the write and the close after it, inside the task's process.
    T = task(Config),
    Id = fun nook_calls:id/1,
    File = filename:join(proplists:get_value(priv_dir, Config), "refs"),
    [{0, {ok, FD}}, {0, {ok, 5}}, {0, ok}] =
        nook:call(T, batch, [[{Id(open), {File, [o_wronly, o_creat], 8#600}, stop},
                              {Id(write), {0, <<"hello">>}, stop, [{1, 0}]},
                              {Id(close), {0}, stop, [{1, 0}]}]]),
    ?assert(is_integer(FD) andalso FD > 2),
    ?assertEqual({ok, <<"hello">>}, file:read_file(File)),
    %% The fd is closed: a second close of the same number fails.
    ?assertEqual({error, ebadf}, nook:close(T, FD)),
    %% An op whose referred value is missing (the open failed) raises badarg, alone.
    Pid = nook:getpid(T),
    ?assertEqual([{0, {error, enoent}}, {1, badarg}, {0, Pid}],
                 nook:call(T, batch, [[{Id(open), {"/nope/x", [o_rdonly], 0}, continue},
                                       {Id(close), {0}, continue, [{1, 0}]},
                                       {Id(getpid), {}, stop}]])).

batch_refs_malformed(Config) ->
    %% References forward, to itself, past the arguments, or not a list: badarg, nothing run.
    T = task(Config),
    Id = fun nook_calls:id/1,
    Bad = [[{Id(close), {0}, stop, [{1, 0}]}],
           [{Id(getpid), {}, stop}, {Id(close), {0}, stop, [{1, 1}]}],
           [{Id(getpid), {}, stop}, {Id(close), {0}, stop, [{0, 0}]}],
           [{Id(getpid), {}, stop}, {Id(close), {0}, stop, oops}],
           [{Id(getpid), {}, stop}, {Id(close), {0}, stop, [{1, 0} | tail]}],
           [{Id(getpid), {}, stop}, {Id(close), {0}, stop, [{1, 0, 0}]}],
           [{Id(getpid), {}, stop}, {Id(close), {0}, stop, lists:duplicate(9, {1, 0})}]],
    [?assertError(badarg, nook:call(T, batch, [B])) || B <- Bad],
    %% A position past the call's arguments, or a value that is no integer: that op raises.
    ?assertMatch([{0, _}, {1, badarg}],
                 nook:call(T, batch, [[{Id(getpid), {}, stop}, {Id(close), {0}, stop, [{2, 0}]}]])),
    ?assertMatch([{0, {ok, _}}, {1, badarg}],
                 nook:call(T, batch, [[{Id(getcwd), {}, stop}, {Id(close), {0}, stop, [{1, 0}]}]])).

result_refs_in_ops(Config) ->
    T = task(Config),
    File = filename:join(proplists:get_value(priv_dir, Config), "ops"),
    Ops = [{open, [File, [o_wronly, o_creat], 8#600]},
           {write, [nook_op:result(1), "one"]},
           {write, [nook_op:result(2), "two"]},
           {close, [nook_op:result(3)]}],
    erlang:trace(T, true, ['receive']),
    ?assertEqual({ok, 3}, nook_op:run(T, Ops)),
    erlang:trace(T, false, ['receive']),
    ?assertMatch([{call, batch, [_]}],
                 [M || {trace, _, 'receive', {'$gen_call', _, {call, _, _} = M}} <- flush()]),
    ?assertEqual({ok, <<"onetwo">>}, file:read_file(File)),
    %% A failure names the op, as without references.
    ?assertMatch({error, #{op := {open, _}, reason := {error, enoent},
                           remaining := [{close, [_]}]}},
                 nook_op:run(T, [{open, ["/nope/x", [o_rdonly], 0]},
                                 {close, [nook_op:result(1)]}])).

result_ref_outside_run(Config) ->
    %% The referred call is not in the same run of plain calls: a clear error, not a guess.
    T = task(Config),
    Ops = [{open, ["/", [o_rdonly], 0]}, {nook, open, ["/", [o_rdonly]]},
           {close, [nook_op:result(2)]}],
    ?assertMatch({error, #{op := {close, _}, reason := {error, {unresolved_result, 2}}}},
                 nook_op:run(T, Ops)),
    ?assertError(function_clause, nook_op:result(0)).

nested_lists_one_batch(Config) ->
    %% Nesting is for writing op lists: a nested run of plain calls still goes as one batch.
    T = task(Config),
    Ops = [{chdir, ["/"]}, [[{chdir, ["/tmp"]}], [{setenv, ["NOOK_NEST", "1", 1]}]], [],
           {chdir, ["/usr"]}],
    erlang:trace(T, true, ['receive']),
    ?assertEqual({ok, undefined}, nook_op:run(T, Ops)),
    erlang:trace(T, false, ['receive']),
    ?assertMatch([{call, batch, [_]}],
                 [M || {trace, _, 'receive', {'$gen_call', _, {call, _, _} = M}} <- flush()]),
    ?assertEqual({ok, <<"/usr">>}, nook:getcwd(T)).

flush() ->
    receive M -> [M | flush()] after 100 -> [] end.
