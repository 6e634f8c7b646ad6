# The seed blog's improved ("改进实例") Nim client, as published.
# Only change: the port is taken from the first command-line argument when
# one is given (default 7003, as in the blog), so tests can use a free port.
# Build: nim c -d:release --hints:off --nimcache:DIR client.nim
import net,strutils
import os  # added for paramCount/paramStr (port argument)

var 
  client: Socket
  server_mes = ""        #存储接收服务器发送来的数据
  client_mes = ""        #客户端向服务器发送的数据
  client_mes_len: int        #客户发送数据的长度
  server_mes_len: int        #接收服务器的数据的长度，不包括开头的4个字节

# added: the port from the command line
let port = if paramCount() >= 1: Port(parseInt(paramStr(1))) else: Port(7003)

#创建客户socket
client = newSocket()

#请求连接服务器
client.connect("127.0.0.1", port)

#通过socket进行数据传输
#接收数据
discard client.recv(server_mes, 4)
server_mes_len = server_mes.parseInt()
echo "message lenth: ", client.recv(server_mes, server_mes_len)
echo "from server message: ",server_mes

#发送数据
client_mes = "this is from Nim"
client_mes_len = client_mes.len()
#一个套接字缓冲数据最大长度4000字节，把数据的前4个字节设置为发送数据的长度
case ($client_mes_len).len()   
of 1:
  client_mes = "000" & $client_mes_len & client_mes
of 2:
  client_mes = "00" & $client_mes_len & client_mes
of 3:
  client_mes = "0" & $client_mes_len & client_mes
else:
  client_mes = $client_mes_len & client_mes
client.send(client_mes)

#关闭客户套接字：
client.close()
