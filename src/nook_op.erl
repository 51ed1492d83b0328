%% SPDX-License-Identifier: ISC
%% @doc Op lists: sequences of calls run on a task, as a container or a sandbox is built.
%%
%% An op is `{Call, Args}' (`nook:Call(Task, Args...)'), `{Mod, Fun, Args}' or
%% `{Mod, Fun, Args, Opts}' (`Mod:Fun(Task, Args...)'), `{Call, Args, Opts}' (a call of nook
%% with Opts, as prx writes it). Opts: `{errexit, false}' goes on
%% past an error; `state' passes the value of the last `{ok, Value}' as the first argument,
%% before the task; `{transform, Fun}' maps the result before it is judged. Lists nest, and
%% an op may return a list of ops, run next. An op must return ok, {ok, _}, {error, _} or a
%% list of ops; `{ok, A, B, ...}' counts as success too. `{label, Term}' names the op in a
%% failure for people (a mount onto /proc/self/fd/N is labelled with the directory's path).
%%
%% In the arguments of a plain call, `result(Back)' stands for the integer the call Back
%% places earlier returned as `{ok, N}' (the fd of an open or a socket): the task's process
%% fills it in, so that an open, its write and its close go in one round trip. Both calls
%% must be in the same run of plain calls.
-module(nook_op).

-export([run/2, run/3, result/1, batch/2, task/4, with/3]).

-export_type([op/0, failure/0, result_ref/0]).

-opaque result_ref() :: {?MODULE, result, pos_integer()}.

-type op() ::
    {atom(), list()}
    | {module(), atom(), list()}
    | {atom(), list(), [option()]}
    | {module(), atom(), list(), [option()]}
    | [op()].
-type option() :: errexit | {errexit, boolean()} | state | {state, boolean()}
                | {transform, fun((term()) -> term())} | {label, term()}.

-type failure() :: #{op := op(), reason := term(), remaining := [op()]}.

%% @doc Run Ops on Task in order: the state left by the last `{ok, Value}', or the failing op,
%% its error and the ops that were not run.
-spec run(nook:task(), [op()]) -> {ok, term()} | {error, failure()}.
run(Task, Ops) -> run(Task, Ops, undefined).

%% @doc Run plain calls (a nested list of `{Call, Args}' ops, `result/1' allowed) as one
%% batch, and return every result in order; the first failure stops it, as with run/2.
-spec batch(nook:task(), [op()]) -> {ok, [term()]} | {error, failure()}.
batch(Task, Ops) ->
    case plain_run(Ops, []) of
        {Batch, []} ->
            Results = nook:call(Task, batch, [requests(Batch)]),
            batch_results(Batch, Results, []);
        {_, [Op | _]} ->
            erlang:error({badop, Op})
    end.

batch_results(_Batch, [], Acc) ->
    {ok, lists:reverse(Acc)};
batch_results([{Op, _, _, Opts} | Batch], [{Status, Term} | Results], Acc) ->
    Result = case Status of
                 0 -> Term;
                 1 -> {error, {error, Term}}
             end,
    case {Result, proplists:get_value(errexit, Opts, true)} of
        {{error, _}, true} ->
            {error, #{op => Op, reason => Result, remaining => [O || {O, _, _, _} <- Batch]}};
        _ ->
            batch_results(Batch, Results, [Result | Acc])
    end.

%% @doc The value the plain call Back places before this one returned as `{ok, N}'.
-spec result(pos_integer()) -> result_ref().
result(Back) when is_integer(Back), Back >= 1 -> {?MODULE, result, Back}.

%% @doc prx's task/4: Init(Parent) makes a task (`{init, Fun}', nook:fork/1 by default) and
%% Ops run on it from State. If one fails, Terminate(Parent, Task) ends the task
%% (`{terminate, Fun}', nook:stop/1 by default) and its error is returned; an op returning
%% what no op may raises `{badop, Op, Remaining, {reason, Returned}}', the task ended too.
-spec task(nook:task(), [op()], term(),
           [{init, fun((nook:task()) -> {ok, nook:task()} | {error, term()})}
            | {terminate, fun((nook:task(), nook:task()) -> term())}]) ->
    {ok, nook:task()} | {error, term()}.
task(Parent, Ops, State, Config) ->
    Init = proplists:get_value(init, Config, fun nook:fork/1),
    Terminate = proplists:get_value(terminate, Config, fun(_, Task) -> nook:stop(Task) end),
    case Init(Parent) of
        {ok, Task} ->
            try with(Task, Ops, State) of
                ok ->
                    {ok, Task};
                {error, _} = Error ->
                    Terminate(Parent, Task),
                    Error
            catch
                Class:Reason:Stack ->
                    Terminate(Parent, Task),
                    erlang:raise(Class, Reason, Stack)
            end;
        Error ->
            Error
    end.

%% @doc prx_task:with/3: run Ops on Task; ok, or the error of the op that failed.
-spec with(nook:task(), [op()], term()) -> ok | {error, term()}.
with(Task, Ops, State) ->
    case run(Task, Ops, State) of
        {ok, _} ->
            ok;
        {error, #{op := Op, reason := {badop, Returned}, remaining := Rest}} ->
            erlang:error({badop, Op, Rest, {reason, Returned}});
        {error, #{reason := Error}} ->
            Error
    end.

%% @doc As run/2, State being the state the first `state' op is given.
-spec run(nook:task(), [op()], term()) -> {ok, term()} | {error, failure()}.
run(_Task, [], State) ->
    {ok, State};
run(Task, [Ops | Rest], State) when is_list(Ops) ->
    run(Task, Ops ++ Rest, State);
run(Task, Ops, State) ->
    case plain_run(Ops, []) of
        {Batch, Rest} when length(Batch) >= 2 ->
            run_batch(Task, Batch, Rest, State);
        _ ->
            run_one(Task, hd(Ops), tl(Ops), State)
    end.

%% A run of plain calls goes to the task's process as one batch: one round trip.
run_batch(Task, Batch, Rest, State) ->
    try nook:call(Task, batch, [requests(Batch)]) of
        Results -> judge_batch(Task, Batch, Results, Rest, State)
    catch
        error:_ ->
            %% The batch as a whole was refused (an argument that is no term a call takes):
            %% one by one, the failing op is named exactly.
            [{Op, _, _, _} | More] = Batch,
            run_one(Task, Op, [O || {O, _, _, _} <- More] ++ Rest, State)
    end.

judge_batch(Task, [], [], Rest, State) ->
    run(Task, Rest, State);
judge_batch(Task, [{Op, _, _, Opts} | Batch], [{Status, Term} | Results], Rest, State) ->
    Result = case Status of
                 0 -> Term;
                 1 -> {error, {error, Term}}
             end,
    %% The ops after this one are listed only when needed: listed for every op, they made
    %% the judgement of a batch quadratic in its length.
    case judge(Op, Opts, Result, [], State) of
        {continue, State1} -> judge_batch(Task, Batch, Results, Rest, State1);
        {more, More, State1} -> run(Task, More ++ remaining(Batch, Rest), State1);
        {error, #{} = Failure} -> {error, Failure#{remaining := remaining(Batch, Rest)}}
    end.

remaining(Batch, Rest) -> [O || {O, _, _, _} <- Batch] ++ Rest.

indexed(List) -> lists:zip(lists:seq(0, length(List) - 1), List).

requests(Batch) ->
    [request(I, Call, Args, Opts) || {I, {_Op, Call, Args, Opts}} <- indexed(Batch)].

%% {CallId, Args, Mode}, or with [{ArgPos, OpIndex}] for the results it refers to.
request(I, Call, Args, Opts) ->
    case backs(Args) of
        [] ->
            {nook_calls:id(Call), list_to_tuple(Args), mode(Opts)};
        _ ->
            Refs = [{Pos + 1, I - Back} || {Pos, {?MODULE, result, Back}} <- indexed(Args)],
            Plain = [case A of
                         {?MODULE, result, _} -> 0;
                         _ -> A
                     end || A <- Args],
            {nook_calls:id(Call), list_to_tuple(Plain), mode(Opts), Refs}
    end.

%% The longest prefix of plain calls: {Call, Args} ops, or {nook, Call, Args[, errexit]}, whose
%% nook function passes its arguments to the call of the same name as they are. Nested lists
%% are opened as they come: nesting is for writing op lists, not a reason for a round trip.
plain_run([Ops | Rest], Acc) when is_list(Ops) ->
    plain_run(Ops ++ Rest, Acc);
plain_run([Op | Rest] = Ops, Acc) ->
    case plain(Op) of
        {ok, Call, Args, Opts} ->
            case lists:all(fun(Back) -> Back =< length(Acc) end, backs(Args)) of
                true -> plain_run(Rest, [{Op, Call, Args, Opts} | Acc]);
                false -> {lists:reverse(Acc), Ops}
            end;
        false ->
            {lists:reverse(Acc), Ops}
    end;
plain_run([], Acc) ->
    {lists:reverse(Acc), []}.

plain({Call, Args}) -> plain_call(Call, Args, []);
plain({nook, Call, Args}) -> plain_call(Call, Args, []);
plain({nook, Call, Args, Opts}) when is_list(Opts) ->
    case [O || O <- Opts, not is_plain_opt(O)] of
        [] -> plain_call(Call, Args, Opts);
        _ -> false
    end;
plain({Call, Args, Opts}) when is_atom(Call), is_list(Args), is_list(Opts) ->
    plain({nook, Call, Args, Opts}); % as prx writes a call with options
plain(_) -> false.

plain_call(filter, [Self, Children] = Args, Opts) when is_binary(Self), is_binary(Children) ->
    %% Bitmaps (nook_filter:bitmap/1) are what the call takes as they are.
    {ok, filter, Args, Opts};
plain_call(Call, Args, Opts) when is_atom(Call), is_list(Args) ->
    case nook_calls:arity(Call) =:= length(Args) andalso nook_calls:plain(Call) of
        true -> {ok, Call, Args, Opts};
        false -> false
    end;
plain_call(_, _, _) ->
    false.

is_plain_opt({errexit, B}) -> is_boolean(B);
is_plain_opt({label, _}) -> true;
is_plain_opt(_) -> false.

mode(Opts) ->
    case proplists:get_value(errexit, Opts, true) of
        true -> stop;
        false -> continue
    end.

backs(Args) -> [Back || {?MODULE, result, Back} <- Args].

run_one(Task, Op, Rest, State) ->
    {Mod, Fun, Args, Opts} = normalize(Op),
    Result = case backs(Args) of
                 [] -> apply_op(Task, Mod, Fun, Args, Opts, State);
                 [Back | _] -> {error, {unresolved_result, Back}}
             end,
    case judge(Op, Opts, Result, Rest, State) of
        {continue, State1} -> run(Task, Rest, State1);
        {more, More, State1} -> run(Task, More ++ Rest, State1);
        {error, _} = Failure -> Failure
    end.

apply_op(Task, Mod, Fun, Args, Opts, State) ->
    Argv = case proplists:get_bool(state, Opts) of
               true -> [State, Task | Args];
               false -> [Task | Args]
           end,
    try transform(Opts, apply(Mod, Fun, Argv))
    catch Class:Reason -> {error, {Class, Reason}}
    end.

%% What an op's result means for the rest of the list.
judge(_Op, _Opts, ok, _Rest, State) ->
    {continue, State};
judge(_Op, _Opts, {ok, Value}, _Rest, _State) ->
    {continue, Value};
judge(_Op, _Opts, Ok, _Rest, _State) when is_tuple(Ok), tuple_size(Ok) > 2, element(1, Ok) =:= ok ->
    %% prctl, ptrace, getresuid...: several values, kept whole as the state
    {continue, Ok};
judge(Op, Opts, {error, _} = Error, Rest, State) ->
    case proplists:get_value(errexit, Opts, true) of
        true -> {error, #{op => Op, reason => Error, remaining => Rest}};
        false -> {continue, State}
    end;
judge(_Op, _Opts, More, _Rest, State) when is_list(More) ->
    {more, More, State};
judge(Op, _Opts, Other, Rest, _State) ->
    {error, #{op => Op, reason => {badop, Other}, remaining => Rest}}.

normalize({Fun, Args}) when is_atom(Fun), is_list(Args) -> {nook, Fun, Args, []};
normalize({Mod, Fun, Args}) when is_atom(Mod), is_atom(Fun), is_list(Args) -> {Mod, Fun, Args, []};
normalize({Fun, Args, Opts}) when is_atom(Fun), is_list(Args), is_list(Opts) -> {nook, Fun, Args, Opts};
normalize({Mod, Fun, Args, Opts}) when is_atom(Mod), is_atom(Fun), is_list(Args), is_list(Opts) ->
    {Mod, Fun, Args, Opts};
normalize(Op) ->
    erlang:error({badop, Op}).

transform(Opts, Result) ->
    case proplists:get_value(transform, Opts) of
        undefined -> Result;
        Fun -> Fun(Result)
    end.
