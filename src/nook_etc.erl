%% SPDX-License-Identifier: ISC
%% @doc A container's /etc: what programs need to name their user, find their tools and
%% trust TLS certificates, and nothing of the host's secrets.
%%
%% `{etc, generated}' (the default): a small tmpfs, read-only once made, with `passwd' and
%% `group' naming root and the container's user, `hostname', `hosts', `nsswitch.conf', the
%% host's `resolv.conf' with `{net, host}', and read-only binds of the host's
%% `/etc/alternatives' (where Debian's `awk' and friends point), `/etc/ssl/certs' and
%% `/etc/ssl/openssl.cnf', where they exist. `{etc, host}': the host's /etc, read-only, with
%% `shadow' and `gshadow' covered by an empty file. `{etc, none}': an empty directory.
-module(nook_etc).

-export([mount_ops/3, file_ops/1, option/0]).

-include_lib("kernel/include/file.hrl").

%% Host paths bound into the generated /etc, where they exist.
-define(FROM_HOST, ["alternatives", "ssl/certs", "ssl/openssl.cnf"]).
%% Never seen inside, whatever the mode.
-define(SECRETS, ["shadow", "gshadow", "shadow-", "gshadow-"]).
-define(READ_ONLY, [ms_remount, ms_bind, ms_rdonly, ms_nosuid, ms_nodev, ms_noexec]).

-spec option() -> nook_options:type().
option() -> {oneof, [generated, host, none]}.

%% @doc The mount onto the container's /etc, made while the host is still in reach by path:
%% Mount(Source, Type, Flags, Data) mounts onto it, Remount(Flags) remounts what is there.
-spec mount_ops(nook_behaviour:config(), fun((iodata(), iodata(), [atom()], iodata()) -> nook_op:op()),
                fun(([atom()]) -> nook_op:op())) -> [nook_op:op()].
mount_ops(Config, Mount, Remount) ->
    case proplists:get_value(etc, Config, generated) of
        generated ->
            {Uid, Gid} = ids(Config),
            Owner = io_lib:format("mode=755,size=256k,uid=~b,gid=~b", [Uid, Gid]),
            [Mount("tmpfs", "tmpfs", [ms_nosuid, ms_nodev, ms_noexec], Owner)];
        host ->
            [Mount("/etc", "", [ms_bind, ms_rec], ""), Remount(?READ_ONLY)];
        none ->
            []
    end.

%% @doc What goes in it, from the container's root as the working directory, by the
%% container's own user: the files, the binds from the host, then the tmpfs made read-only.
-spec file_ops(nook_behaviour:config()) -> [nook_op:op()].
file_ops(Config) ->
    case proplists:get_value(etc, Config, generated) of
        generated -> generated(Config);
        host -> [cover(Secret) || Secret <- ?SECRETS, kind(Secret) =:= regular];
        none -> []
    end.

generated(Config) ->
    {Uid, Gid} = ids(Config),
    Hostname = unicode:characters_to_list(proplists:get_value(hostname, Config, "nook")),
    {User, Group} = case Uid of
                        65534 -> {"nobody", "nogroup"};
                        _ -> {"nook", "nook"}
                    end,
    Files = [{"passwd", ["root:x:0:0:root:/root:/bin/sh\n"
                         | [io_lib:format("~s:x:~b:~b:~s:/home:/bin/sh~n", [User, Uid, Gid, User])
                            || Uid =/= 0]]},
             {"group", ["root:x:0:\n" | [io_lib:format("~s:x:~b:~n", [Group, Gid]) || Gid =/= 0]]},
             {"hostname", [Hostname, "\n"]},
             {"hosts", ["127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n",
                        "127.0.1.1\t", Hostname, "\n"]},
             {"nsswitch.conf", "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n"
                               "networks: files\nprotocols: files\nservices: files\n"}]
        ++ resolv_conf(Config),
    [[[{open, [in_etc(Name), [o_wronly, o_creat, o_excl, o_cloexec], 8#644]},
       {write, [nook_op:result(1), iolist_to_binary(Data)]},
       {close, [nook_op:result(2)]}]
      || {Name, Data} <- Files],
     binds([Path || Path <- ?FROM_HOST, kind(Path) =/= none]),
     {mount, ["none", "etc", "", ?READ_ONLY, ""]}].

%% The host's resolver settings, for a container on the host's network.
resolv_conf(Config) ->
    case proplists:get_value(net, Config, none) =:= host andalso prim_file:read_file("/etc/resolv.conf") of
        {ok, Conf} -> [{"resolv.conf", Conf}];
        _ -> []
    end.

%% The directories above the host's paths, then for each a directory or a file to bind it
%% onto, and the bind, read-only.
binds(Paths) ->
    Parents = lists:usort([filename:join(lists:sublist(Parts, N))
                           || P <- Paths, Parts <- [filename:split(P)],
                              N <- lists:seq(1, length(Parts) - 1)]),
    [[{mkdir, [in_etc(D), 8#755]} || D <- Parents],
     [[case kind(Path) =:= directory of
           true -> {mkdir, [in_etc(Path), 8#755]};
           false -> [{open, [in_etc(Path), [o_rdonly, o_creat, o_cloexec], 8#644]},
                     {close, [nook_op:result(1)]}]
       end,
       {mount, [host(Path), in_etc(Path), "", [ms_bind, ms_rec], ""]},
       {mount, [host(Path), in_etc(Path), "", [ms_remount, ms_bind, ms_rdonly, ms_nosuid, ms_nodev], ""]}]
      || Path <- Paths]].

cover(Secret) -> {mount, ["/dev/null", in_etc(Secret), "", [ms_bind], ""]}.

%% What the host has at /etc/Name (followed if a link): directory, regular, other or none,
%% looked at once per node: the host's /etc does not change under a running node often
%% enough to be looked at on every start.
kind(Name) ->
    Key = {?MODULE, kind, Name},
    case persistent_term:get(Key, undefined) of
        undefined ->
            Kind = case file:read_file_info(host(Name), [raw, {time, posix}]) of
                       {ok, #file_info{type = directory}} -> directory;
                       {ok, #file_info{type = regular}} -> regular;
                       {ok, _} -> other;
                       {error, _} -> none
                   end,
            persistent_term:put(Key, Kind),
            Kind;
        Kind ->
            Kind
    end.

ids(Config) ->
    Uid = proplists:get_value(uid, Config, 65534),
    {Uid, proplists:get_value(gid, Config, Uid)}.

in_etc(Name) -> "etc/" ++ Name.

host(Name) -> "/etc/" ++ Name.
