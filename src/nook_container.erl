%% SPDX-License-Identifier: ISC
%% @doc A container made by a port running as root: new mount, PID, UTS, IPC, cgroup and
%% network namespaces without a user namespace, the same read-only root and limits as
%% nook_rootless, then the process gives up root for the configured ids (setgroups,
%% setresgid, setresuid) before exec.
%%
%% Config: nook_rootless's (`net', `hostname', `path', `fstab', `limits', `priority',
%% `rlimit', `setuid', `environ', `seccomp') with `{uid, U}' and `{gid, G}' the ids the
%% program runs as (65534 and = uid by default), here real ids on the host.
-module(nook_container).
-behaviour(nook_behaviour).

-export([task/1, init/1, ops/2, onerror/1, onexit/1, environ/1, options/0, signal/1]).

%% @doc nook_rootless's options but those of host ids (`host_root', `host_uid', `host_gid'):
%% the ids here are real ids on the host.
-spec options() -> nook_options:spec().
options() ->
    [O || {K, _} = O <- nook_rootless:options(), not lists:member(K, [host_root, host_uid, host_gid])].

%% @doc The supervisor task, as nook_rootless's.
-spec task(nook_behaviour:config()) -> {ok, nook:task()} | {error, term()}.
task(Config) -> nook_rootless:task(Config).

%% @doc Clone the container's init into new namespaces (no user namespace: the port must run
%% as root, `{error, {not_root, Euid}}' otherwise) and fork the task that will exec.
-spec init(nook_behaviour:config()) ->
    fun((nook:task()) -> {ok, [nook:task(), ...], map()} | {error, term()}).
init(Config) ->
    Flags = [clone_newipc, clone_newns, clone_newpid, clone_newuts
             | case proplists:get_value(net, Config, none) of
                   none -> [clone_newnet];
                   host -> []
               end],
    fun(Supervisor) ->
            case nook:getuid(Supervisor) of
                0 -> nook_rootless:start_container(Supervisor, Flags, Config, 0, fun(_) -> none end);
                Euid -> {error, {not_root, Euid}}
            end
    end.

%% @doc nook_rootless's ops, with root given up for the configured uid and gid for good
%% (setgroups, setresgid, setresuid) before no_new_privs: root inside is root outside.
-spec ops(nook_behaviour:config(), map()) -> [nook_op:op()].
ops(Config, Info) ->
    Uid = proplists:get_value(uid, Config, 65534),
    nook_rootless:container_ops(Config, Info, {Uid, proplists:get_value(gid, Config, Uid)}).

%% @doc As nook_rootless's.
-spec onerror(nook_behaviour:config()) -> fun((nook_behaviour:tree()) -> ok).
onerror(Config) -> nook_rootless:onerror(Config).

%% @doc As nook_rootless's.
-spec onexit(nook_behaviour:config()) -> fun((nook_behaviour:tree()) -> ok).
onexit(Config) -> nook_rootless:onexit(Config).

%% @doc As nook_rootless's.
-spec signal(nook_behaviour:config()) -> fun((nook_behaviour:tree(), nook:constant()) -> ok | {error, term()}).
signal(Config) -> nook_rootless:signal(Config).

%% @doc As nook_rootless's.
-spec environ(nook_behaviour:config()) -> [string()].
environ(Config) -> nook_rootless:environ(Config).
