%% SPDX-License-Identifier: ISC
%% @doc A container's /etc: programs that need one work (awk through /etc/alternatives,
%% whoami, getent, TLS clients), and nothing of the host's /etc but what is listed is seen.
-module(nook_etc_SUITE).

%% unprivileged: yes

-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").

-export([all/0, groups/0, suite/0, init_per_group/2, end_per_group/2, init_per_testcase/2,
         end_per_testcase/2]).
-export([awk/1, whoami/1, getent_passwd/1, python_tls_context/1, hostname_and_hosts/1,
         resolv_conf_with_host_net/1, read_only/1, only_what_is_listed/1, host_etc/1,
         no_etc/1, no_shadow_in_any_mode/1, container_too/1]).

-define(NOBODY, 65534).

suite() -> [{timetrap, {seconds, 120}}].

all() -> [{group, unprivileged}].

groups() ->
    [{unprivileged, [],
      [awk, whoami, getent_passwd, python_tls_context, hostname_and_hosts,
       resolv_conf_with_host_net, read_only, only_what_is_listed, host_etc, no_etc,
       no_shadow_in_any_mode, container_too]}].

init_per_group(unprivileged, Config) ->
    nook_test_lib:userns_or_skip(Config).

end_per_group(_Group, _Config) -> ok.

init_per_testcase(Case, Config) ->
    Root = nook_test_lib:case_root(Case, Config),
    [{path, Root} | Config].

end_per_testcase(_Case, _Config) -> ok.

awk(Config) ->
    %% /usr/bin/awk is a link through /etc/alternatives on Debian.
    ?assertEqual({<<"3\n">>, <<>>, {exit_status, 0}}, run("echo 1 2 | awk '{print $1 + $2}'", Config, [])).

whoami(Config) ->
    ?assertEqual({<<"nobody\n">>, <<>>, {exit_status, 0}}, run("whoami", Config, [])),
    ?assertEqual({<<"nook\n">>, <<>>, {exit_status, 0}}, run("whoami", Config, [{uid, 1000}])),
    ?assertEqual({<<"uid=1000(nook) gid=1000(nook) groups=1000(nook)\n">>, <<>>, {exit_status, 0}},
                 run("id", Config, [{uid, 1000}])).

getent_passwd(Config) ->
    ?assertEqual({<<"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/sh\n">>,
                  <<>>, {exit_status, 0}},
                 run("getent passwd", Config, [])).

python_tls_context(Config) ->
    case filelib:is_regular("/usr/bin/python3") of
        false ->
            {skip, "no /usr/bin/python3 here"};
        true ->
            Py = "import ssl; c = ssl.create_default_context(); print(len(c.get_ca_certs()) > 0)",
            ?assertEqual({<<"True\n">>, <<>>, {exit_status, 0}},
                         run(["/usr/bin/python3", "-c", Py], Config, []))
    end.

hostname_and_hosts(Config) ->
    {Out, <<>>, {exit_status, 0}} =
        run("cat /etc/hostname; getent hosts box-2; getent hosts localhost", Config, [{hostname, "box-2"}]),
    [Name, Box, Local | _] = lines(Out),
    ?assertEqual(<<"box-2">>, Name),
    ?assertMatch([<<"127.0.1.1">>, <<"box-2">>], words(Box)),
    ?assertMatch([_, <<"localhost">> | _], words(Local)).

resolv_conf_with_host_net(Config) ->
    {ok, Host} = file:read_file("/etc/resolv.conf"),
    ?assertEqual({Host, <<>>, {exit_status, 0}}, run("cat /etc/resolv.conf", Config, [{net, host}])),
    {_, _, {exit_status, N}} = run("cat /etc/resolv.conf", Config, []),
    ?assertNotEqual(0, N).

read_only(Config) ->
    {<<>>, Err, {exit_status, N}} = run("echo x > /etc/passwd", Config, []),
    ?assertNotEqual(0, N),
    ?assertMatch({_, _}, binary:match(Err, <<"Read-only">>)).

only_what_is_listed(Config) ->
    {Out, <<>>, {exit_status, 0}} = run("ls -A /etc /etc/ssl", Config, []),
    Listed = [<<"/etc:">>, <<"alternatives">>, <<"group">>, <<"hostname">>, <<"hosts">>,
              <<"nsswitch.conf">>, <<"passwd">>, <<"ssl">>, <<>>, <<"/etc/ssl:">>, <<"certs">>,
              <<"openssl.cnf">>],
    Seen = binary:split(Out, <<"\n">>, [global, trim]),
    ?assertEqual([L || L <- Listed, present(L)], Seen).

host_etc(Config) ->
    %% The host's /etc, read-only: what is in it is there (os-release), its secrets are not.
    {Out, <<>>, {exit_status, 0}} = run("cat /etc/debian_version; test -s /etc/shadow || echo no shadow",
                                        Config, [{etc, host}]),
    {ok, Version} = file:read_file("/etc/debian_version"),
    ?assertEqual(<<Version/binary, "no shadow\n">>, Out).

no_etc(Config) ->
    ?assertEqual({<<>>, <<>>, {exit_status, 0}}, run("ls -A /etc", Config, [{etc, none}])).

no_shadow_in_any_mode(Config) ->
    [?assertEqual({<<"none\n">>, <<>>, {exit_status, 0}},
                  run("test -s /etc/shadow || test -s /etc/gshadow || echo none", Config, [{etc, Mode}]))
     || Mode <- [generated, host, none]].

container_too(Config) ->
    %% nook_container (root only) has the same /etc.
    case nook_root:uid() of
        0 -> ?assertEqual({<<"nobody\n">>, <<>>, {exit_status, 0}},
                          run("whoami", Config, [], nook_container));
        _ -> {skip, "nook_container needs root"}
    end.

%% ---- helpers ----

present(<<"alternatives">>) -> filelib:is_dir("/etc/alternatives");
present(<<"certs">>) -> filelib:is_dir("/etc/ssl/certs");
present(<<"openssl.cnf">>) -> filelib:is_regular("/etc/ssl/openssl.cnf");
present(_) -> true.

run(Cmd, Config, Extra) -> run(Cmd, Config, Extra, nook_rootless).

run(Cmd, Config, Extra, Behaviour) ->
    {ok, Events} = nook_stream:run(Cmd, Behaviour, Extra ++ [{path, ?config(path, Config)}]),
    nook_test_lib:events(Events).

lines(Bin) -> binary:split(Bin, <<"\n">>, [global, trim_all]).

words(Bin) -> binary:split(Bin, [<<" ">>, <<"\t">>], [global, trim_all]).
