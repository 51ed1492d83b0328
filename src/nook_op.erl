%% SPDX-License-Identifier: ISC
%% @doc Op lists: sequences of calls run on a task, as a container or a sandbox is built.
%%
%% An op is `{Call, Args}' (`nook:Call(Task, Args...)'), `{Mod, Fun, Args}' or
%% `{Mod, Fun, Args, Opts}' (`Mod:Fun(Task, Args...)'). Opts: `{errexit, false}' goes on
%% past an error; `state' passes the value of the last `{ok, Value}' as the first argument,
%% before the task; `{transform, Fun}' maps the result before it is judged. Lists nest, and
%% an op may return a list of ops, run next. An op must return ok, {ok, _}, {error, _} or a
%% list of ops; `{ok, A, B, ...}' counts as success too.
-module(nook_op).

-export([run/2, run/3]).

-export_type([op/0, failure/0]).

-type op() ::
    {atom(), list()}
    | {module(), atom(), list()}
    | {module(), atom(), list(), [{errexit, boolean()} | state | {state, boolean()}
                                  | {transform, fun((term()) -> term())}]}
    | [op()].

-type failure() :: #{op := op(), reason := term(), remaining := [op()]}.

%% @doc Run Ops on Task in order: the state left by the last `{ok, Value}', or the failing op,
%% its error and the ops that were not run.
-spec run(nook:task(), [op()]) -> {ok, term()} | {error, failure()}.
run(Task, Ops) -> run(Task, Ops, undefined).

-spec run(nook:task(), [op()], term()) -> {ok, term()} | {error, failure()}.
run(_Task, [], State) ->
    {ok, State};
run(Task, [Ops | Rest], State) when is_list(Ops) ->
    run(Task, Ops ++ Rest, State);
run(Task, [Op | Rest], State) ->
    {Mod, Fun, Args, Opts} = normalize(Op),
    Argv = case proplists:get_bool(state, Opts) of
               true -> [State, Task | Args];
               false -> [Task | Args]
           end,
    Result = try transform(Opts, apply(Mod, Fun, Argv))
             catch Class:Reason -> {error, {Class, Reason}}
             end,
    case Result of
        ok ->
            run(Task, Rest, State);
        {ok, Value} ->
            run(Task, Rest, Value);
        Ok when is_tuple(Ok), tuple_size(Ok) > 2, element(1, Ok) =:= ok ->
            %% prctl, ptrace, getresuid...: several values, kept whole as the state
            run(Task, Rest, Ok);
        {error, _} = Error ->
            case proplists:get_value(errexit, Opts, true) of
                true -> {error, #{op => Op, reason => Error, remaining => Rest}};
                false -> run(Task, Rest, State)
            end;
        More when is_list(More) ->
            run(Task, More ++ Rest, State);
        Other ->
            {error, #{op => Op, reason => {badop, Other}, remaining => Rest}}
    end.

normalize({Fun, Args}) when is_atom(Fun), is_list(Args) -> {nook, Fun, Args, []};
normalize({Mod, Fun, Args}) when is_atom(Mod), is_atom(Fun), is_list(Args) -> {Mod, Fun, Args, []};
normalize({Mod, Fun, Args, Opts}) when is_atom(Mod), is_atom(Fun), is_list(Args), is_list(Opts) ->
    {Mod, Fun, Args, Opts};
normalize(Op) ->
    erlang:error({badop, Op}).

transform(Opts, Result) ->
    case proplists:get_value(transform, Opts) of
        undefined -> Result;
        Fun -> Fun(Result)
    end.
