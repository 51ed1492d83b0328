%% SPDX-License-Identifier: ISC
%% @doc What a behaviour is (nook_process, nook_rootless, nook_container or your own), and
%% how a process tree is built from one and taken down again.
%%
%% A behaviour makes a supervisor task (task/1), the processes below it down to the one that
%% will exec (init/1), the op list that prepares that one (ops/1), and says what to do on a
%% failed start (onerror/1) and at the end (onexit/1).
-module(nook_behaviour).

-export([start/2, stop/1, exec_task/1]).

-export_type([tree/0, config/0]).

-type config() :: [{atom(), term()}].
-type tree() :: #{behaviour := module(), config := config(), supervisor := nook:task(),
                  tasks := [nook:task(), ...]}.

-callback task(config()) -> {ok, nook:task()} | {error, term()}.
-callback init(config()) -> fun((nook:task()) -> {ok, [nook:task(), ...]} | {error, term()}).
-callback ops(config()) -> [nook_op:op()].
-callback onerror(config()) -> fun((tree()) -> term()).
-callback onexit(config()) -> fun((tree()) -> term()).

-optional_callbacks([onerror/1, onexit/1]).

%% @doc Build the tree up to the point where its last task is ready to exec.
-spec start(module(), config()) -> {ok, tree()} | {error, term()}.
start(Behaviour, Config) ->
    case Behaviour:task(Config) of
        {ok, Supervisor} ->
            case (Behaviour:init(Config))(Supervisor) of
                {ok, Tasks} ->
                    Tree = #{behaviour => Behaviour, config => Config,
                             supervisor => Supervisor, tasks => Tasks},
                    prepare(Tree);
                {error, _} = Error ->
                    nook:stop(Supervisor),
                    Error
            end;
        {error, _} = Error ->
            Error
    end.

prepare(#{behaviour := Behaviour, config := Config} = Tree) ->
    case nook_op:run(exec_task(Tree), Behaviour:ops(Config)) of
        {ok, _} ->
            {ok, Tree};
        {error, Failure} ->
            _ = callback(onerror, Tree),
            nook:stop(maps:get(supervisor, Tree)),
            {error, Failure}
    end.

%% @doc The task that execs the command.
-spec exec_task(tree()) -> nook:task().
exec_task(#{tasks := Tasks}) -> lists:last(Tasks).

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
