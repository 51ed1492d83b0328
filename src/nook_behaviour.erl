%% SPDX-License-Identifier: ISC
%% @doc What a behaviour is (nook_process, nook_rootless, nook_container or your own), and
%% how a process tree is built from one and taken down again.
%%
%% A behaviour makes a supervisor task (task/1), the processes below it down to the one that
%% will exec (init/1), the op list that prepares that one (ops/1), and says what to do on a
%% failed start (onerror/1) and at the end (onexit/1). Optional: options/0, the options it
%% takes (checked before anything starts, see nook_options); signal/1, how to signal every
%% process of the tree (default: the process group of the task that execs).
%%
%% init/1's fun may return `{ok, Tasks, Info}': Info (a map) is kept in the tree, and a
%% behaviour exporting ops/2 gets it as ops(Config, Info). nook's behaviours keep there the
%% container's cgroup (`cgroup'), which nook_stream asks about OOM kills.
-module(nook_behaviour).

-export([start/2, start_cold/2, stop/1, exec_task/1, signal/2, info/1, check_options/2, describe/1]).

-export_type([tree/0, config/0]).

-type config() :: [{atom(), term()}].
-type tree() :: #{behaviour := module(), config := config(), supervisor := nook:task(),
                  tasks := [nook:task(), ...], info := map()}.

-callback task(config()) -> {ok, nook:task()} | {error, term()}.
-callback init(config()) ->
    fun((nook:task()) -> {ok, [nook:task(), ...]} | {ok, [nook:task(), ...], map()}
                         | {error, term()}).
-callback ops(config()) -> [nook_op:op()].
-callback ops(config(), map()) -> [nook_op:op()].
-callback onerror(config()) -> fun((tree()) -> term()).
-callback onexit(config()) -> fun((tree()) -> term()).
-callback options() -> nook_options:spec().
-callback signal(config()) -> fun((tree(), nook:constant()) -> ok | {error, term()}).

%% One of ops/1 and ops/2.
-optional_callbacks([ops/1, ops/2, onerror/1, onexit/1, options/0, signal/1]).

%% @doc Build the tree up to the point where its last task is ready to exec, or take one a
%% pool has ready (nook_pool). Config (a proplist or a map) is checked first when the
%% behaviour says what it takes. The task that will exec has its output paused
%% (`flowcontrol_bytes' 0): its reader grants credit (setcpid `flowcontrol_grant', as
%% nook_stream does), or turns it off (`flowcontrol_bytes' -1).
-spec start(module(), config() | map()) -> {ok, tree()} | {error, term()}.
start(Behaviour, Config0) ->
    case check_options(Behaviour, Config0) of
        {ok, Config} ->
            case nook_pool:checkout(Behaviour, Config) of
                {ok, Tree} -> {ok, Tree#{config => Config}}; % exec-time options are this caller's
                none -> start_checked(Behaviour, Config)
            end;
        {error, _} = Error ->
            Error
    end.

%% @doc Build the tree now, from a checked Config, whatever the pools have.
-spec start_cold(module(), config()) -> {ok, tree()} | {error, term()}.
start_cold(Behaviour, Config) -> start_checked(Behaviour, Config).

%% @doc Config checked against the behaviour's options/0, if it has one.
-spec check_options(module(), config() | map()) -> {ok, config()} | {error, {badopt, term()}}.
check_options(Behaviour, Config) ->
    _ = code:ensure_loaded(Behaviour),
    case erlang:function_exported(Behaviour, options, 0) of
        true -> nook_options:check(Behaviour:options(), Config);
        false when is_map(Config) -> {ok, maps:to_list(Config)};
        false when is_list(Config) -> {ok, Config};
        false -> {error, {badopt, Config}}
    end.

start_checked(Behaviour, Config) ->
    case Behaviour:task(Config) of
        {ok, Supervisor} ->
            case (Behaviour:init(Config))(Supervisor) of
                {ok, Tasks} ->
                    prepare(tree(Behaviour, Config, Supervisor, Tasks, #{}));
                {ok, Tasks, Info} when is_map(Info) ->
                    prepare(tree(Behaviour, Config, Supervisor, Tasks, Info));
                {error, _} = Error ->
                    nook:stop(Supervisor),
                    Error
            end;
        {error, _} = Error ->
            Error
    end.

tree(Behaviour, Config, Supervisor, Tasks, Info) ->
    #{behaviour => Behaviour, config => Config, supervisor => Supervisor, tasks => Tasks,
      info => Info}.

prepare(#{behaviour := Behaviour, config := Config, info := Info} = Tree) ->
    Ops = case erlang:function_exported(Behaviour, ops, 2) of
              true -> Behaviour:ops(Config, Info);
              false -> Behaviour:ops(Config)
          end,
    Task = exec_task(Tree),
    %% The program's output waits for its reader's credit from its first byte. Sent without
    %% waiting: the parent takes it before it relays anything more to the task.
    ok = nook_task:cast_via_parent(Task, setcpid, [flowcontrol_bytes, 0]),
    case nook_op:run(Task, Ops) of
        {ok, _} ->
            {ok, Tree};
        {error, Failure} ->
            _ = callback(onerror, Tree),
            nook:stop(maps:get(supervisor, Tree)),
            {error, describe(Failure)}
    end.

%% @doc The task that execs the command.
-spec exec_task(tree()) -> nook:task().
exec_task(#{tasks := Tasks}) -> lists:last(Tasks).

%% @doc What the behaviour's init kept about the tree.
-spec info(tree()) -> map().
info(Tree) -> maps:get(info, Tree, #{}).

%% @doc Send Signal to every process of the tree below the supervisor (the program and what
%% it started): the behaviour's signal/1, or else the process group of the task that execs.
-spec signal(tree(), nook:constant()) -> ok | {error, term()}.
signal(#{behaviour := Behaviour, config := Config} = Tree, Signal) ->
    case erlang:function_exported(Behaviour, signal, 1) of
        true ->
            (Behaviour:signal(Config))(Tree, Signal);
        false ->
            Task = exec_task(Tree),
            case {nook:parent(Task), nook:pidof(Task)} of
                {Parent, Pid} when is_pid(Parent), is_integer(Pid) ->
                    catch_call(fun() -> nook:kill(Parent, -Pid, Signal) end);
                _ ->
                    {error, esrch}
            end
    end.

catch_call(Fun) ->
    try Fun()
    catch
        error:Reason -> {error, Reason};
        exit:_ -> {error, esrch}
    end.

%% @doc Run the behaviour's onexit, then stop the supervisor: everything below is killed and
%% reaped before this returns.
-spec stop(tree()) -> ok.
stop(#{supervisor := Supervisor} = Tree) ->
    _ = (catch callback(onexit, Tree)),
    nook:stop(Supervisor).

callback(Name, #{behaviour := Behaviour, config := Config} = Tree) ->
    case erlang:function_exported(Behaviour, Name, 1) of
        true -> (Behaviour:Name(Config))(Tree);
        false -> ok
    end.

%% @doc A failed op as the step it was: `{mount, Target, Posix}', `{rlimit, Resource, Posix}',
%% `{Call, Path, Posix}' for calls on a path, `{Call, Posix}' for the others; an op labelled
%% `{step, Tuple}' is that Tuple with Posix added.
-spec describe(nook_op:failure() | term()) -> term().
describe(#{op := {Call, Args, Opts}} = Failure) when is_atom(Call), is_list(Args), is_list(Opts) ->
    describe(Failure#{op := {nook, Call, Args, Opts}}); % a call with options, as prx writes it
describe(#{op := {nook, _, _, Opts} = Op, reason := Reason}) ->
    case proplists:get_value(label, Opts) of
        {step, Step} when is_tuple(Step) -> erlang:append_element(Step, posix(Reason));
        _ -> step(labelled(Op, op_call(Op)), posix(Reason))
    end;
describe(#{op := Op, reason := Reason}) ->
    step(op_call(Op), posix(Reason));
describe(Other) ->
    Other.

%% A label stands for the op's path (its target, for a mount).
labelled({nook, mount, [Source, _ | Rest], Opts}, Call) ->
    case proplists:get_value(label, Opts) of
        undefined -> Call;
        Label -> {mount, [Source, Label | Rest]}
    end;
labelled({nook, C, [_ | Rest], Opts}, Call) ->
    case proplists:get_value(label, Opts) of
        undefined -> Call;
        Label -> {C, [Label | Rest]}
    end;
labelled(_Op, Call) ->
    Call. % no argument for a label to stand for

op_call({Call, Args}) when is_atom(Call), is_list(Args) -> {Call, Args};
op_call({nook, Call, Args}) -> {Call, Args};
op_call({nook, Call, Args, _}) -> {Call, Args};
op_call({Mod, Fun, _Args}) -> {Mod, Fun};
op_call({Mod, Fun, _Args, _}) -> {Mod, Fun};
op_call(Other) -> Other.

posix({error, {error, Raised}}) -> Raised;    % the call raised (badarg, undef)
posix({error, {exit, Reason}}) -> {exit, Reason};
posix({error, Posix}) -> Posix;
posix(Other) -> Other.

step({mount, [_Source, Target | _]}, Why) -> {mount, path(Target), Why};
step({setrlimit, [Resource | _]}, Why) -> {rlimit, Resource, Why};
step({seccomp_load, _}, Why) -> {seccomp, Why};
step({Call, [Path | _]}, Why) when Call =:= open; Call =:= chdir; Call =:= mkdir;
                                   Call =:= umount2; Call =:= pivot_root; Call =:= symlink;
                                   Call =:= sethostname; Call =:= unlink ->
    {Call, path(Path), Why};
step({Call, Args}, Why) when is_atom(Call), is_list(Args) -> {Call, Why};
step({nook_seccomp, load}, Why) -> {seccomp, Why};
step({nook_landlock, restrict}, Why) when element(1, Why) =:= landlock -> Why;
step({nook_notify, arm}, Why) when element(1, Why) =:= notify -> Why;
step({_Mod, Fun}, Why) -> {Fun, Why};
step(Op, Why) -> {Op, Why}.

path(Path) ->
    try unicode:characters_to_list(Path)
    catch _:_ -> Path
    end.
